import { BigQuery, type BigQueryOptions } from "@google-cloud/bigquery";
import type { BigQueryConfig } from "./config.ts";

export interface ClientOptions {
  /** Per-request timeout; a hung request counts as a transient failure and is retried by us. */
  requestTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * Problem: the client authenticates every request through google-auth-library, even with a custom
 * `apiEndpoint`; against an emulator that either probes the GCE metadata server (slow) or, with
 * GOOGLE_APPLICATION_CREDENTIALS set, tries to fetch a real OAuth token (fails offline).
 * Solution: against an emulator, hand it an auth client that adds no headers — the duck type of
 * google-auth-library's PassThroughClient, without importing a package we do not depend on.
 */
const anonymousAuth = { getRequestHeaders: async () => new Headers() } as unknown as BigQueryOptions["authClient"];

/**
 * Builds the `@google-cloud/bigquery` client for a config, shared by the sink, `just sql` and the
 * dbt helpers. The library's own retries are switched off (`autoRetry: false`): they would retry
 * an unreachable endpoint for ~15 s and stack under our insert retries, hiding the real error
 * policy; callers retry through lib/bigquery/retry.ts instead.
 */
export function createBigQueryClient(config: BigQueryConfig, options: ClientOptions = {}): BigQuery {
  // `timeout` is read by @google-cloud/common's Service (applied to every request) but missing
  // from the BigQueryOptions type.
  const base: BigQueryOptions & { timeout: number } = {
    projectId: config.projectId,
    location: config.location,
    retryOptions: { autoRetry: false, maxRetries: 0 },
    timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
  if (config.apiEndpoint) {
    // Belt and braces for code paths that build their own GoogleAuth (e.g. getProjectId).
    process.env.METADATA_SERVER_DETECTION ??= "none";
    return new BigQuery({ ...base, apiEndpoint: config.apiEndpoint, authClient: anonymousAuth });
  }
  return new BigQuery({ ...base, keyFilename: config.keyFilename });
}

/** The endpoint requests go to, for error messages. */
export function endpointOf(config: BigQueryConfig): string {
  return config.apiEndpoint ?? "https://bigquery.googleapis.com";
}
