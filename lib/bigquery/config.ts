import { existsSync } from "node:fs";
import { BigQueryConfigError } from "./errors.ts";

/** Where the raw table lives and how to reach BigQuery (or an emulator standing in for it). */
export interface BigQueryConfig {
  projectId: string;
  /** Dataset holding `kafka_ecom_events` (BQ_DATASET, default `ecom_events`). */
  dataset: string;
  /** Location of the dataset and of query jobs (BQ_LOCATION, default `US`). */
  location: string;
  /** Service-account key file (GOOGLE_APPLICATION_CREDENTIALS); never read by us, only its path checked. */
  keyFilename?: string;
  /** An emulator's base URL (BIGQUERY_API_ENDPOINT), e.g. `http://127.0.0.1:9050`; no auth is sent then. */
  apiEndpoint?: string;
}

export const DEFAULT_DATASET = "ecom_events";
export const DEFAULT_LOCATION = "US";

// BigQuery's own rules: https://cloud.google.com/bigquery/docs/datasets#dataset-naming
const DATASET_ID = /^[A-Za-z0-9_]{1,1024}$/;
// Project ids are 6–30 chars of lowercase letters, digits and hyphens; legacy domain-scoped ids
// ("example.com:project") contain a colon. The emulator accepts anything, so only the shape is checked.
const PROJECT_ID = /^[a-z0-9.:-]{1,100}$/i;

/**
 * Reads the BigQuery settings from the environment (the names users of the original pipeline and
 * of `bq` already know). Throws a BigQueryConfigError naming the variable when one is missing or
 * malformed, so `just consume` fails before touching Kafka. The key file's content is never read
 * here — only whether the path exists — so nothing secret can end up in an error message.
 */
export function bigQueryConfigFromEnv(env: Record<string, string | undefined> = process.env): BigQueryConfig {
  const projectId = env.GCP_PROJECT?.trim();
  if (!projectId) {
    throw new BigQueryConfigError(
      "GCP_PROJECT",
      "is not set: put your Google Cloud project id in .env (GCP_PROJECT=my-project), or any id when using an emulator",
    );
  }
  if (!PROJECT_ID.test(projectId)) {
    throw new BigQueryConfigError("GCP_PROJECT", `"${projectId}" is not a valid project id`);
  }
  const dataset = env.BQ_DATASET?.trim() || DEFAULT_DATASET;
  if (!DATASET_ID.test(dataset)) {
    throw new BigQueryConfigError(
      "BQ_DATASET",
      `"${dataset}" is not a valid dataset id (letters, digits and underscores only)`,
    );
  }
  const location = env.BQ_LOCATION?.trim() || DEFAULT_LOCATION;
  const apiEndpoint = env.BIGQUERY_API_ENDPOINT?.trim() || undefined;
  if (apiEndpoint && !/^https?:\/\/[^/]+/.test(apiEndpoint)) {
    throw new BigQueryConfigError(
      "BIGQUERY_API_ENDPOINT",
      `"${apiEndpoint}" is not an http(s) URL (expected e.g. http://127.0.0.1:9050)`,
    );
  }
  const keyFilename = env.GOOGLE_APPLICATION_CREDENTIALS?.trim() || undefined;
  // An emulator needs no key; a stale GOOGLE_APPLICATION_CREDENTIALS must not block it.
  if (keyFilename && !apiEndpoint && !existsSync(keyFilename)) {
    throw new BigQueryConfigError(
      "GOOGLE_APPLICATION_CREDENTIALS",
      `points to ${keyFilename}, which does not exist (download a service-account key, or unset the variable to use gcloud's application-default credentials)`,
    );
  }
  return { projectId, dataset, location, keyFilename: apiEndpoint ? undefined : keyFilename, apiEndpoint };
}
