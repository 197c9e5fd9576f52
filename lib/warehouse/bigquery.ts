import type { BigQuery } from "@google-cloud/bigquery";
import { createBigQueryClient, endpointOf } from "../bigquery/client.ts";
import type { BigQueryConfig } from "../bigquery/config.ts";
import { classifyError, errorText } from "../bigquery/errors.ts";
import { RAW_TABLE } from "./landing.ts";
import { NoDataError, QueryError, type Cell, type Column, type QueryOptions, type QueryResult, type Warehouse } from "./warehouse.ts";

/**
 * The warehouse on BigQuery (WAREHOUSE=bigquery): queries run as jobs with the configured dataset
 * as default, so `select … from kafka_ecom_events` and `from fct_daily_kpis` work unqualified as
 * they do locally. Rows are read unparsed (`skipParsing`) and converted by the schema here: the
 * library's own parsing turns INT64 into lossy numbers or wrapper objects, and timestamps into
 * objects. With BIGQUERY_API_ENDPOINT (an emulator) no auth is sent; the client does not retry,
 * so an unreachable endpoint fails at once.
 */

/** A field of a BigQuery result schema (the REST API's TableFieldSchema, as much as we use). */
interface Field {
  name?: string | null;
  type?: string | null;
  mode?: string | null;
}

/** One row of the REST API's `f`/`v` encoding. */
interface RawRow {
  f?: { v?: unknown }[];
}

const NUMERIC_TYPES = new Set(["INT64", "INTEGER", "FLOAT64", "FLOAT", "NUMERIC", "BIGNUMERIC", "DECIMAL", "BIGDECIMAL"]);
const PAGE_SIZE = 10_000;

/** Opens a BigQuery-backed warehouse for `config` (nothing is sent until the first query). */
export function openBigQueryWarehouse(config: BigQueryConfig, client?: BigQuery): BigQueryWarehouse {
  return new BigQueryWarehouse(config, client ?? createBigQueryClient(config));
}

/** See the module comment; create it with openBigQueryWarehouse. */
export class BigQueryWarehouse implements Warehouse {
  readonly kind = "bigquery";
  readonly location: string;
  readonly notices: string[] = [];

  constructor(
    private readonly config: BigQueryConfig,
    private readonly client: BigQuery,
  ) {
    this.location = `${config.projectId}.${config.dataset}`;
  }

  /**
   * Runs `sql` as a query job in the configured dataset and location, reads at most `maxRows`
   * rows (page by page) and takes the total from the job. Throws NoDataError when the raw table
   * does not exist yet, QueryError with BigQuery's message otherwise.
   */
  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const started = performance.now();
    const maxRows = options.maxRows ?? Infinity;
    try {
      const [job] = await this.client.createQueryJob({
        query: sql,
        useLegacySql: false,
        location: this.config.location,
        defaultDataset: { projectId: this.config.projectId, datasetId: this.config.dataset },
      });
      let fields: Field[] = [];
      const rows: Cell[][] = [];
      let totalRows = 0;
      let pageToken: string | undefined;
      do {
        const pageSize = Math.max(1, Math.min(PAGE_SIZE, maxRows - rows.length));
        const [raw, , response] = await job.getQueryResults({
          autoPaginate: false,
          skipParsing: true,
          maxResults: pageSize,
          pageToken,
        });
        fields = (response?.schema?.fields as Field[] | undefined) ?? fields;
        totalRows = Number(response?.totalRows ?? totalRows);
        for (const row of raw as RawRow[]) {
          if (rows.length >= maxRows) break;
          rows.push(fields.map((field, i) => toCell(row.f?.[i]?.v, field)));
        }
        pageToken = response?.pageToken ?? undefined;
      } while (pageToken && rows.length < maxRows);
      const columns: Column[] = fields.map((field) => ({
        name: field.name ?? "",
        type: field.mode === "REPEATED" ? `ARRAY<${field.type}>` : String(field.type),
        numeric: field.mode !== "REPEATED" && NUMERIC_TYPES.has(String(field.type)),
      }));
      return { columns, rows, totalRows: Math.max(totalRows, rows.length), elapsedMs: performance.now() - started };
    } catch (error) {
      throw this.translate(error);
    }
  }

  async close(): Promise<void> {}

  private translate(error: unknown): Error {
    const text = errorText(error);
    // BigQuery: "Not found: Table p:d.kafka_ecom_events …"; the emulator: "Table not found: kafka_ecom_events".
    if (new RegExp(`(Not found: Table|Table not found:) [^ ]*\\b${RAW_TABLE}\\b`).test(text)) {
      return new NoDataError(`${this.location}.${RAW_TABLE}`, { cause: error });
    }
    if (classifyError(error) === "unreachable") {
      return new QueryError("bigquery", `cannot reach ${endpointOf(this.config)}: ${text}`, { cause: error });
    }
    return new QueryError("bigquery", text, { cause: error });
  }
}

/** One REST value as a Cell, by its field's type. */
export function toCell(value: unknown, field: Field): Cell {
  if (value === null || value === undefined) return null;
  if (field.mode === "REPEATED" || field.type === "RECORD" || field.type === "STRUCT" || typeof value !== "string") {
    return JSON.stringify(plain(value));
  }
  switch (field.type) {
    case "INT64":
    case "INTEGER": {
      const n = BigInt(value);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    case "FLOAT64":
    case "FLOAT":
      return Number(value);
    case "NUMERIC":
    case "DECIMAL":
      // NUMERIC has at most 29 integer digits; keep it exact as text when a double would round.
      return value.replace(/[-.]/g, "").replace(/^0+/, "").length <= 15 ? Number(value) : value;
    case "BOOL":
    case "BOOLEAN":
      return value === "true";
    case "TIMESTAMP":
      return formatTimestamp(value);
    default:
      return value;
  }
}

/**
 * A TIMESTAMP as `YYYY-MM-DD HH:MM:SS[.ffffff] UTC`. The API sends microseconds since the epoch
 * (`formatOptions.useInt64Timestamp`, which the client sets); older servers and the emulator
 * send float seconds.
 */
export function formatTimestamp(value: string): string {
  const micros = /^-?\d+$/.test(value) ? BigInt(value) : BigInt(Math.round(Number(value) * 1e6));
  const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const iso = new Date(Number(millis)).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const fraction = (((micros % 1_000_000n) + 1_000_000n) % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ""} UTC`;
}

/** Unwraps the REST `{v: …}` / `{f: […]}` nesting of arrays and records for display. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    const record = value as { v?: unknown; f?: unknown[] };
    if ("f" in record && Array.isArray(record.f)) return record.f.map(plain);
    if ("v" in record) return plain(record.v);
  }
  return value;
}
