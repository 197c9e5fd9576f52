import type { BigQuery } from "@google-cloud/bigquery";
import { createBigQueryClient, DEFAULT_REQUEST_TIMEOUT_MS, endpointOf } from "../bigquery/client.ts";
import { bigQueryConfigFromEnv, type BigQueryConfig } from "../bigquery/config.ts";
import { encodeRows } from "../bigquery/encode.ts";
import { ensureDataset, ensureRawTable } from "../bigquery/ensure.ts";
import { DEFAULT_INSERT_OPTIONS, insertRows, type InsertAllCall, type InsertAllResponse } from "../bigquery/insert.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../bigquery/retry.ts";
import { RAW_TABLE } from "../bigquery/schema.ts";
import { RowBatch, type RawRow, type Sink, type WriteResult } from "./sink.ts";

export interface BigQuerySinkOptions {
  /** The Kafka topic the rows come from: the first part of every insertId. */
  topic: string;
  /** Defaults to `bigQueryConfigFromEnv()`. */
  config?: BigQueryConfig;
  /** Rows per insertAll request (default 500, Google's recommendation). */
  maxRows?: number;
  /** Body bytes per insertAll request (default 9,000,000; the API's limit is 10 MiB). */
  maxBytes?: number;
  /** insertAll requests in flight at once (default 4). */
  concurrency?: number;
  /** Retry policy for transient failures, merged over DEFAULT_RETRY_POLICY. */
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout (default 60 s); a timeout is retried like any transient failure. */
  requestTimeoutMs?: number;
}

/** Counters since the sink was created, for the consumer's summary line. */
export interface BigQuerySinkStats {
  inserted: number;
  rejected: number;
  requests: number;
  retries: number;
  splits: number;
}

/**
 * The BigQuery sink: `open` creates (or checks) the dataset and `kafka_ecom_events`; `write` streams
 * rows with tabledata.insertAll and resolves only when every row is inserted or returned as
 * rejected with BigQuery's reason (the consumer sends those to the dead-letter topic). When rows can
 * be neither — retries exhausted, endpoint unreachable, permission denied — `write` throws and the
 * consumer must not store the batch's offsets. Rows of a failed batch may already be in the table;
 * insertIds (`topic-partition-offset`) let BigQuery drop some copies, and staging deduplicates on
 * (_kafka_partition, _kafka_offset) for the rest.
 */
export class BigQuerySink implements Sink {
  readonly name = "bigquery";
  readonly config: BigQueryConfig;
  readonly stats: BigQuerySinkStats = { inserted: 0, rejected: 0, requests: 0, retries: 0, splits: 0 };
  private readonly bigquery: BigQuery;
  private readonly retry: RetryPolicy;
  private readonly insertAll: InsertAllCall;
  private opened = false;
  private closed = false;

  constructor(private readonly options: BigQuerySinkOptions) {
    if (!options.topic) throw new Error("BigQuerySink needs the Kafka topic (it prefixes every insertId)");
    for (const key of ["maxRows", "maxBytes", "concurrency", "requestTimeoutMs"] as const) {
      const value = options[key];
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
        throw new RangeError(`BigQuerySink option ${key} must be a positive integer, got ${value}`);
      }
    }
    this.config = options.config ?? bigQueryConfigFromEnv();
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.bigquery = createBigQueryClient(this.config, {
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    });
    const table = this.bigquery.dataset(this.config.dataset).table(RAW_TABLE);
    this.insertAll = async (body) => {
      const [response] = await table.request({
        method: "POST",
        uri: "/insertAll",
        body,
        headers: { "Content-Type": "application/json" },
      });
      return response as InsertAllResponse;
    };
  }

  /** Creates or checks the dataset and the raw table; idempotent, safe to call from several consumers. */
  async open(): Promise<void> {
    this.assertNotClosed();
    const context = { bigquery: this.bigquery, config: this.config, retry: this.retry };
    await ensureDataset(context);
    await ensureRawTable(context);
    this.opened = true;
  }

  /** Streams `rows`; see the class comment for what resolving and throwing mean. */
  async write(input: RowBatch | RawRow[]): Promise<WriteResult> {
    this.assertNotClosed();
    if (!this.opened) throw new Error("BigQuerySink.write called before open()");
    // insertAll takes JSON rows: the consumer's columns become row objects here.
    const rows = input instanceof RowBatch ? input.toRows() : input;
    const { encoded, rejected } = encodeRows(rows, this.options.topic);
    const outcome = await insertRows(encoded, this.insertAll, {
      maxRows: this.options.maxRows ?? DEFAULT_INSERT_OPTIONS.maxRows,
      maxBytes: this.options.maxBytes ?? DEFAULT_INSERT_OPTIONS.maxBytes,
      concurrency: this.options.concurrency ?? DEFAULT_INSERT_OPTIONS.concurrency,
      retry: this.retry,
      endpoint: endpointOf(this.config),
    });
    const allRejected = [...rejected, ...outcome.rejected];
    if (outcome.inserted + allRejected.length !== rows.length) {
      // Accounting bug guard: resolving would let the consumer store offsets of unwritten rows.
      throw new Error(
        `BigQuerySink lost track of rows: ${rows.length} given, ${outcome.inserted} inserted, ${allRejected.length} rejected`,
      );
    }
    this.stats.inserted += outcome.inserted;
    this.stats.rejected += allRejected.length;
    this.stats.requests += outcome.requests;
    this.stats.retries += outcome.retries;
    this.stats.splits += outcome.splits;
    return { written: outcome.inserted, rejected: allRejected };
  }

  /** Nothing to flush (every write is synchronous with BigQuery); further writes are refused. */
  async close(): Promise<void> {
    this.closed = true;
  }

  private assertNotClosed(): void {
    if (this.closed) throw new Error("BigQuerySink is closed");
  }
}
