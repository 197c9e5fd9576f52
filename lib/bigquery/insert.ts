import type { RejectedRow } from "../sinks/sink.ts";
import type { EncodedRow } from "./encode.ts";
import { BigQueryInsertError, BigQueryUnreachableError, classifyError, errorText } from "./errors.ts";
import { DEFAULT_RETRY_POLICY, RetryBudget, type RetryPolicy } from "./retry.ts";

/** One tabledata.insertAll call: the JSON body in, the parsed response out (throws on HTTP errors). */
export type InsertAllCall = (body: string) => Promise<InsertAllResponse>;

/** The part of a TableDataInsertAllResponse we read. */
export interface InsertAllResponse {
  insertErrors?: { index?: number | string; errors?: { reason?: string; message?: string; location?: string }[] }[];
}

export interface InsertOptions {
  /** Rows per request; Google recommends 500. */
  maxRows: number;
  /** Body bytes per request; the API refuses 10 MiB (10,485,760) and more. */
  maxBytes: number;
  /** Requests in flight at once. */
  concurrency: number;
  retry: RetryPolicy;
  /** Where requests go, for error messages. */
  endpoint: string;
}

export const DEFAULT_INSERT_OPTIONS: Omit<InsertOptions, "endpoint"> = {
  maxRows: 500,
  // ~1.5 MiB below the hard limit: room for the envelope and for the internal representation the
  // API converts requests to, whose size Google says is hard to predict.
  maxBytes: 9_000_000,
  concurrency: 4,
  retry: DEFAULT_RETRY_POLICY,
};

/** What one `insert` achieved; `inserted + rejected.length` is always the number of rows given. */
export interface InsertOutcome {
  inserted: number;
  rejected: RejectedRow[];
  requests: number;
  retries: number;
  splits: number;
}

// Per-row reasons worth sending the row again. "stopped": BigQuery did not insert this valid row
// because another row of the request was invalid (skipInvalidRows=false makes requests atomic).
// The others are server-side hiccups reported per row.
const RETRYABLE_ROW_REASONS = new Set(["stopped", "backendError", "timeout", "internalError"]);

const BODY_HEAD = '{"skipInvalidRows":false,"ignoreUnknownValues":false,"rows":[';
const BODY_TAIL = "]}";

/**
 * Streams encoded rows with tabledata.insertAll: requests of at most `maxRows` rows and `maxBytes`
 * bytes, `concurrency` of them in flight. Transient failures are retried with full-jitter backoff
 * under a bounded budget per request; a request the API finds too large is split in half until it
 * fits (a single row that still does not fit is rejected); per-row errors are sorted into rows to
 * send again ("stopped" and server-side reasons) and rows to reject with their reason ("invalid"
 * and anything else). Resolves once every row is inserted or rejected; throws a BigQueryInsertError
 * (or BigQueryUnreachableError) when some rows could be neither — after the other requests settled.
 *
 * Why a hand-built body through `table.request` instead of `table.insert({raw: true})`: `insert`
 * runs its own partial-failure retries (`partialRetries`) and turns insertErrors into an exception
 * carrying row objects; `request` with a ready-made string skips that and also the library's
 * per-request deep copy and project-id-token walk of a `json` body. Each row is serialised exactly
 * once (which is also how its size is measured). Measured (test/sinks/bigquery.bench.ts, 100k rows,
 * 500 per request, against a loopback server that answers `{}` at once): 180–280k rows/s this way,
 * ~100k rows/s through insert({raw: true}) even before shaping its row objects (+250 ms). Into the
 * emulator both reach only 8–17k rows/s: there the emulator's SQLite writes are the bottleneck.
 */
export async function insertRows(
  rows: EncodedRow[],
  call: InsertAllCall,
  options: InsertOptions,
): Promise<InsertOutcome> {
  const outcome: InsertOutcome = { inserted: 0, rejected: [], requests: 0, retries: 0, splits: 0 };
  const chunks = chunkRows(rows, options.maxRows, options.maxBytes);
  const failures: unknown[] = [];
  let next = 0;
  const worker = async () => {
    // Once a chunk failed for good the batch fails; do not start more requests for it.
    while (next < chunks.length && failures.length === 0) {
      const chunk = chunks[next++]!;
      try {
        await sendChunk(chunk, call, options, outcome);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, chunks.length) }, worker));
  if (failures.length > 0) throw failures[0];
  return outcome;
}

/** Groups rows into requests within both limits, keeping their order. */
export function chunkRows(rows: EncodedRow[], maxRows: number, maxBytes: number): EncodedRow[][] {
  const chunks: EncodedRow[][] = [];
  let current: EncodedRow[] = [];
  let bytes = BODY_HEAD.length + BODY_TAIL.length;
  for (const row of rows) {
    const added = row.bytes + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && (current.length >= maxRows || bytes + added > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = BODY_HEAD.length + BODY_TAIL.length;
    }
    bytes += row.bytes + (current.length > 0 ? 1 : 0);
    current.push(row);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The insertAll body for rows: the pre-serialised entries joined, no re-serialisation. */
export function insertAllBody(rows: EncodedRow[]): string {
  return BODY_HEAD + rows.map((row) => row.entry).join(",") + BODY_TAIL;
}

async function sendChunk(
  chunk: EncodedRow[],
  call: InsertAllCall,
  options: InsertOptions,
  outcome: InsertOutcome,
): Promise<void> {
  const budget = new RetryBudget(options.retry);
  let pending = chunk;
  while (pending.length > 0) {
    let response: InsertAllResponse;
    outcome.requests += 1;
    try {
      response = await call(insertAllBody(pending));
    } catch (error) {
      const kind = classifyError(error);
      if (kind === "tooLarge") {
        if (pending.length === 1) {
          outcome.rejected.push({ row: pending[0]!.row, reason: `row too large for one insertAll request: ${errorText(error)}` });
          return;
        }
        outcome.splits += 1;
        const half = Math.ceil(pending.length / 2);
        await sendChunk(pending.slice(0, half), call, options, outcome);
        await sendChunk(pending.slice(half), call, options, outcome);
        return;
      }
      if (kind === "unreachable") {
        throw new BigQueryUnreachableError(options.endpoint, `inserting ${pending.length} rows`, { cause: error });
      }
      const delay = kind === "transient" ? budget.next() : undefined;
      if (delay === undefined) {
        const why = kind === "transient" ? "insertAll kept failing" : "insertAll failed";
        throw new BigQueryInsertError(`${why}: ${errorText(error)}`, pending.length, pending[0]!.insertId, budget.attempts, {
          cause: error,
        });
      }
      outcome.retries += 1;
      await Bun.sleep(delay);
      continue;
    }

    const { retry, rejected, serverSide } = sortRowErrors(pending, response);
    outcome.rejected.push(...rejected);
    outcome.inserted += pending.length - retry.length - rejected.length;
    if (retry.length === 0) return;
    const delay = budget.next();
    if (delay === undefined) {
      throw new BigQueryInsertError(
        "insertAll kept returning per-row errors",
        retry.length,
        retry[0]!.insertId,
        budget.attempts,
      );
    }
    outcome.retries += 1;
    // "stopped" rows only failed because of their invalid neighbours, now removed: no need to wait.
    if (serverSide) await Bun.sleep(delay);
    pending = retry;
  }
}

/** Splits the rows an insertAll response reported errors for into rows to retry and rows to reject. */
function sortRowErrors(
  sent: EncodedRow[],
  response: InsertAllResponse,
): { retry: EncodedRow[]; rejected: RejectedRow[]; serverSide: boolean } {
  const retry: EncodedRow[] = [];
  const rejected: RejectedRow[] = [];
  let serverSide = false;
  const seen = new Set<number>();
  for (const insertError of response.insertErrors ?? []) {
    const index = Number(insertError.index);
    const row = sent[index];
    if (!row) {
      // Cannot tell which row this is about: nothing of the request can be trusted as inserted.
      throw new BigQueryInsertError(`insertAll reported an error for row index ${insertError.index}`, sent.length, sent[0]!.insertId, 1);
    }
    if (seen.has(index)) continue;
    seen.add(index);
    const errors = insertError.errors ?? [];
    if (errors.length > 0 && errors.every((error) => RETRYABLE_ROW_REASONS.has(error.reason ?? ""))) {
      retry.push(row);
      serverSide ||= errors.some((error) => error.reason !== "stopped");
    } else {
      rejected.push({ row: row.row, reason: describeRowErrors(errors) });
    }
  }
  return { retry, rejected, serverSide };
}

function describeRowErrors(errors: { reason?: string; message?: string; location?: string }[]): string {
  if (errors.length === 0) return "insertAll reported an error without a reason";
  return errors
    .filter((error) => error.reason !== "stopped")
    .map((error) => `${error.reason ?? "error"}${error.location ? ` at ${error.location}` : ""}: ${error.message ?? ""}`.trim())
    .join("; ");
}
