/**
 * BigQuery failure vocabulary: configuration mistakes, a dataset/table that does not match what
 * the pipeline needs, an endpoint that cannot be reached, inserts that could not be completed —
 * plus `classifyError`, the one place that decides which API errors are worth retrying.
 */

/** An environment variable is missing or malformed; `variable` names it. */
export class BigQueryConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = "BigQueryConfigError";
  }
}

/**
 * The dataset or table exists but differs from what the pipeline needs (schema, partitioning,
 * clustering, expiration, location); `differences` lists each one, and the message says how to fix it.
 */
export class BigQueryTableError extends Error {
  constructor(
    readonly resource: string,
    readonly differences: string[],
    advice: string,
  ) {
    super(`${resource} does not match what the pipeline needs:\n  - ${differences.join("\n  - ")}\n${advice}`);
    this.name = "BigQueryTableError";
  }
}

/** No connection could be made at all (refused, unknown host): retrying would only delay the bad news. */
export class BigQueryUnreachableError extends Error {
  constructor(
    readonly endpoint: string,
    what: string,
    options: { cause: unknown },
  ) {
    super(
      `cannot reach BigQuery at ${endpoint} while ${what}: ${errorText(options.cause)}` +
        " — is the emulator running / BIGQUERY_API_ENDPOINT right / the network up?",
      options,
    );
    this.name = "BigQueryUnreachableError";
  }
}

/**
 * Rows could not be written and retrying is exhausted or pointless; `rows` is how many of the
 * batch are in doubt (the consumer must not store their offsets) and `firstInsertId` locates them.
 */
export class BigQueryInsertError extends Error {
  constructor(
    message: string,
    readonly rows: number,
    readonly firstInsertId: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`${message} (${rows} rows from insertId ${firstInsertId}, ${attempts} attempts)`, options);
    this.name = "BigQueryInsertError";
  }
}

/** How the insert and setup code should react to a failed request. */
export type ErrorKind =
  /** Worth another attempt after a backoff: 408/429/5xx, rate limits, resets, timeouts. */
  | "transient"
  /** The request body is over the API's size limit: split it. */
  | "tooLarge"
  /** Nothing answered at all. */
  | "unreachable"
  /** Anything else (bad request, permission, not found): retrying cannot help. */
  | "permanent";

/** The shape of the errors `@google-cloud/common` and the HTTP layer throw (ApiError, system errors). */
interface ErrorLike {
  code?: number | string;
  type?: string;
  message?: string;
  errors?: { reason?: string; message?: string }[];
}

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
// 403 is also how BigQuery reports rate and streaming quotas being exceeded.
const TRANSIENT_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "backendError", "internalError"]);
const TRANSIENT_SYSTEM_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "ECONNABORTED",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "ConnectionClosed",
]);
const UNREACHABLE_SYSTEM_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "ConnectionRefused"]);
// Beyond ~10 MB the API answers 400 "Request payload size exceeds the limit: 10485760 bytes."; far
// beyond, Google's front end answers 413 before BigQuery sees the request.
const TOO_LARGE_MESSAGE = /payload size exceeds|request too large|entity too large/i;

/** Sorts an error thrown by a BigQuery request into what the caller should do about it. */
export function classifyError(error: unknown): ErrorKind {
  const e = (error ?? {}) as ErrorLike;
  if (typeof e.code === "number") {
    if (e.code === 413) return "tooLarge";
    if (e.code === 400 && TOO_LARGE_MESSAGE.test(e.message ?? "")) return "tooLarge";
    if (TRANSIENT_STATUS.has(e.code)) return "transient";
    if (e.errors?.some((inner) => TRANSIENT_REASONS.has(inner.reason ?? ""))) return "transient";
    return "permanent";
  }
  if (typeof e.code === "string") {
    if (UNREACHABLE_SYSTEM_CODES.has(e.code)) return "unreachable";
    if (TRANSIENT_SYSTEM_CODES.has(e.code)) return "transient";
  }
  // teeny-request's own timeout error ("network timeout at: …") has no code, only a type.
  if (e.type === "request-timeout" || /timeout|socket hang up/i.test(e.message ?? "")) return "transient";
  return "permanent";
}

/** The HTTP status (or system error code) and message of a request error, for error messages. */
export function errorText(error: unknown): string {
  const e = (error ?? {}) as ErrorLike;
  const code = e.code === undefined ? "" : `${e.code} `;
  return `${code}${e.message ?? String(error)}`.trim();
}
