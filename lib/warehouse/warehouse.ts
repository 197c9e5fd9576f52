/**
 * One small interface over the warehouses `just sql`, the dashboard and the tests query: the
 * local DuckDB session over the landing files and dbt's database (lib/warehouse/duckdb.ts), or
 * BigQuery (lib/warehouse/bigquery.ts). Results come back as plain JS values so the same
 * formatting works for both.
 */

/** A result cell: strings for text, dates and times; bigint for integers beyond what a double holds. */
export type Cell = string | number | bigint | boolean | null;

/** A result column: its name, the warehouse's type name, and whether it holds numbers. */
export interface Column {
  name: string;
  type: string;
  numeric: boolean;
}

/** What a query returned. */
export interface QueryResult {
  columns: Column[];
  /** The rows read, at most `maxRows`. */
  rows: Cell[][];
  /** How many rows the query produced in all (≥ rows.length). */
  totalRows: number;
  /** Wall time from sending the query to the last row read. */
  elapsedMs: number;
}

/** How much of a result to bring back. */
export interface QueryOptions {
  /** Keep at most this many rows (the rest are only counted); default: all. */
  maxRows?: number;
}

/** A warehouse to query. */
export interface Warehouse {
  /** `duckdb` or `bigquery`. */
  readonly kind: "duckdb" | "bigquery";
  /** Where queries go, for messages: a folder, or `project.dataset`. */
  readonly location: string;
  /** Things the user should know before the results (a locked dbt database, no landed data). */
  readonly notices: readonly string[];
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  close(): Promise<void>;
}

/** The message users see when the raw table has no data yet. */
export const NO_DATA_MESSAGE = "no data landed yet: run just consume";

/** The query needs landed data and there is none. */
export class NoDataError extends Error {
  constructor(
    readonly location: string,
    options?: { cause?: unknown },
  ) {
    super(`${NO_DATA_MESSAGE} (nothing under ${location})`, options);
    this.name = "NoDataError";
  }
}

/** The warehouse refused or failed the query; the message is the warehouse's own. */
export class QueryError extends Error {
  constructor(
    readonly warehouse: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${warehouse}: ${message}`, options);
    this.name = "QueryError";
  }
}
