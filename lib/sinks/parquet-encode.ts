import { DuckDBTimestampValue, type DuckDBAppender, type DuckDBConnection } from "@duckdb/node-api";
import { CLUSTER_COLUMNS, RAW_COLUMNS, sqlIdentifier, sqlString } from "../warehouse/landing.ts";
import { STRING_FIELDS } from "./parquet-validate.ts";
import type { RawRow } from "./sink.ts";

/**
 * Turns the rows of one planned file into a sorted zstd Parquet file with DuckDB.
 *
 * Problem: every per-value crossing into DuckDB costs ~0.2 µs, and a row has twelve values.
 * Staging 500k rows on the 2-core dev machine (CPU ms per batch; wall time was noisier):
 *   - appender, one appendX() per value ............................... 1,450–1,700
 *   - data chunks (typed vectors; one native call per string) ......... 1,700–1,800
 *   - numeric data chunks + string columns, POSITIONAL JOIN ............ 2,400–2,700
 *   - every column joined into one string, split by DuckDB ............   680–800
 * Solution (the last): each column travels as ONE string — its values joined by U+001F, NULL
 * written as U+001E — bound as a prepared-statement parameter; DuckDB splits, unnests (zipped by
 * position) and casts them. Numbers are printed by JS's shortest round-trip printer and parsed by
 * DuckDB's correctly rounded parser: exact. And the split rows go straight into
 * `COPY (… ORDER BY …) TO file` instead of a staging table first (500k rows: 950–1,000 ms CPU
 * against 1,170–1,190 with the table). A prepared statement is made per file: re-binding one with
 * 60 MB of parameters got slower on every reuse (190 → 1,180 ms over four batches).
 *
 * The two control characters are legal in strings, so: a value that IS "\u001e" would read back
 * as NULL, and a value containing "\u001f" adds list elements — which makes the row count COPY
 * reports differ from the file's (unnest pads the shorter lists). Files with such values take the
 * exact slow path: a staging table filled by the joined path for the plain rows and DuckDB's
 * appender for the others, then COPY from it. Every string is written exactly either way.
 */

const SEP = "\u001f";
const NULL_MARK = "\u001e";

const COLUMN_LIST = RAW_COLUMNS.map(([name]) => sqlIdentifier(name)).join(", ");
const ORDER_BY = CLUSTER_COLUMNS.map(sqlIdentifier).join(", ");
const STAGE_TABLE = "ecom_stage";

/** Parquet options of every landing file. */
const copyOptions = (level: number) => `(format parquet, compression zstd, compression_level ${level})`;

/**
 * A planned file's rows in the joined form, prepared on the JS thread before the file's turn at
 * the DuckDB connection — so a consumer's next batch is encoded while DuckDB writes the last one.
 */
export interface EncodedRows {
  rows: readonly RawRow[];
  /**
   * Slices of the rows, each as one joined string per column; undefined when a row needs the
   * slow path (a NULL-mark value).
   */
  parts: string[][] | undefined;
  /** The batch's one _ingested_at, or undefined when it varies (then it is the 12th column). */
  ingestedAt: number | undefined;
}

// The unnest of one row of lists runs on one thread; a UNION ALL of two slices lets DuckDB's two
// threads split the work (500k rows: 645–1,130 ms wall against 940–1,320 for one slice; same CPU).
const SLICE_ROWS = 25_000;
const MAX_SLICES = 2;

/** Encodes `rows` for writeParquetFile (see EncodedRows). Pure JS; no DuckDB call. */
export function encodeRows(rows: readonly RawRow[]): EncodedRows {
  if (rows.some(hasNullMark)) return { rows, parts: undefined, ingestedAt: undefined };
  const ingestedAt = rows[0]?._ingested_at;
  const sameIngestedAt = rows.every((row) => row._ingested_at === ingestedAt);
  const slices = Math.max(1, Math.min(MAX_SLICES, Math.floor(rows.length / SLICE_ROWS)));
  const size = Math.ceil(rows.length / slices);
  const parts: string[][] = [];
  for (let start = 0; start < rows.length; start += size) {
    parts.push(encodeSlice(rows, start, Math.min(rows.length, start + size), sameIngestedAt));
  }
  return { rows, parts, ingestedAt: sameIngestedAt ? ingestedAt : undefined };
}

/** Rows `start…end` as one joined string per column. */
function encodeSlice(rows: readonly RawRow[], start: number, end: number, sameIngestedAt: boolean): string[] {
  const n = end - start;
  const times = new Array<number>(n);
  const prices = new Array<number | string>(n);
  const partitions = new Array<number>(n);
  const offsets = new Array<number>(n);
  const eventTypes = new Array<string>(n);
  const productIds = new Array<string>(n);
  const categoryIds = new Array<string>(n);
  const categoryCodes = new Array<string>(n);
  const brands = new Array<string>(n);
  const userIds = new Array<string>(n);
  const sessions = new Array<string>(n);
  // One pass with named fields: a loop over STRING_FIELDS with row[field] measured ~2× slower.
  for (let i = 0; i < n; i++) {
    const row = rows[start + i]!;
    times[i] = row.event_time;
    eventTypes[i] = row.event_type ?? NULL_MARK;
    productIds[i] = row.product_id ?? NULL_MARK;
    categoryIds[i] = row.category_id ?? NULL_MARK;
    categoryCodes[i] = row.category_code ?? NULL_MARK;
    brands[i] = row.brand ?? NULL_MARK;
    // String(-0) is "0": keep the sign, the value must come back bit for bit.
    prices[i] = row.price === 0 && Object.is(row.price, -0) ? "-0" : (row.price ?? NULL_MARK);
    userIds[i] = row.user_id ?? NULL_MARK;
    sessions[i] = row.user_session ?? NULL_MARK;
    partitions[i] = row._kafka_partition;
    offsets[i] = row._kafka_offset;
  }
  const values: (number | string)[][] = [times, eventTypes, productIds, categoryIds, categoryCodes, brands, prices, userIds, sessions, partitions, offsets];
  // One _ingested_at per batch is the norm (the consumer stamps a batch); a column otherwise.
  if (!sameIngestedAt) values.push(rows.slice(start, end).map((row) => row._ingested_at));
  return values.map((column) => column.join(SEP));
}

/**
 * Writes the encoded rows to `path` (which must not end in `.parquet` while being written: the
 * caller renames it), sorted by the clustering columns. Throws DuckDB's error.
 */
export async function writeParquetFile(
  connection: DuckDBConnection,
  encoded: EncodedRows,
  path: string,
  compressionLevel: number,
): Promise<void> {
  const target = `to ${sqlString(path)} ${copyOptions(compressionLevel)}`;
  if (encoded.parts) {
    const written = await runJoined(connection, encoded, (select) => `copy (${select} order by ${ORDER_BY}) ${target}`);
    if (written === encoded.rows.length) return;
    // A value contained the separator; the slow path below overwrites the file.
  }
  await connection.run(
    `create or replace temp table ${STAGE_TABLE} (${RAW_COLUMNS.map(([name, type]) => `${sqlIdentifier(name)} ${type}`).join(", ")})`,
  );
  try {
    const plain = encoded.rows.filter((row) => !hasNullMark(row) && !hasSeparator(row));
    const special = encoded.rows.filter((row) => hasNullMark(row) || hasSeparator(row));
    if (plain.length > 0) {
      const inserted = await runJoined(connection, encodeRows(plain), (select) => `insert into ${STAGE_TABLE} ${select}`);
      if (inserted !== plain.length) throw new Error(`staged ${inserted} of ${plain.length} rows (separator check failed)`);
    }
    await appendRows(connection, special);
    await connection.run(`copy (select ${COLUMN_LIST} from ${STAGE_TABLE} order by ${ORDER_BY}) ${target}`);
  } finally {
    await connection.run(`drop table if exists ${STAGE_TABLE}`);
  }
}

/** Whether a row has a string the joined path would misread as NULL. */
const hasNullMark = (row: RawRow): boolean =>
  row.event_type === NULL_MARK ||
  row.product_id === NULL_MARK ||
  row.category_id === NULL_MARK ||
  row.category_code === NULL_MARK ||
  row.brand === NULL_MARK ||
  row.user_id === NULL_MARK ||
  row.user_session === NULL_MARK;

/** Whether a row has a string containing the joined path's separator. */
const hasSeparator = (row: RawRow): boolean => STRING_FIELDS.some((field) => row[field]?.includes(SEP) ?? false);

/**
 * Runs `statement(select)` where `select` yields the encoded rows as the landing columns.
 * Returns the row count DuckDB reports (COPY and INSERT both report one).
 */
async function runJoined(
  connection: DuckDBConnection,
  encoded: EncodedRows,
  statement: (select: string) => string,
): Promise<number> {
  const parts = encoded.parts!;
  const width = parts[0]!.length;
  const text = (i: number) => `nullif(c${i}, chr(30))`;
  // A literal, not a parameter: one parameter shared by the UNION ALL branches made the statement
  // 2–3× slower (200k rows: 1,200–1,600 ms CPU against 540–550). A validated safe integer.
  const ingested = encoded.ingestedAt !== undefined ? `${encoded.ingestedAt}::bigint` : "cast(c11 as bigint)";
  const selects = parts.map((_, part) => {
    const unnests = Array.from({ length: width }, (_, i) => `unnest(string_split($${part * width + i + 1}, chr(31))) as c${i}`);
    return `select make_timestamp(cast(c0 as bigint)) as event_time, ${text(1)} as event_type,
        ${text(2)} as product_id, ${text(3)} as category_id, ${text(4)} as category_code, ${text(5)} as brand,
        cast(${text(6)} as double) as price, ${text(7)} as user_id, ${text(8)} as user_session,
        cast(c9 as integer) as _kafka_partition, cast(c10 as bigint) as _kafka_offset,
        make_timestamp(${ingested}) as _ingested_at
      from (select ${unnests.join(", ")})`;
  });
  const prepared = await connection.prepare(statement(selects.map((select) => `(${select})`).join(" union all ")));
  try {
    parts.forEach((columns, part) => columns.forEach((text, i) => prepared.bindVarchar(part * width + i + 1, text)));
    const result = await prepared.runAndReadAll();
    return Number(result.getRows()[0]?.[0] ?? 0);
  } finally {
    prepared.destroySync();
  }
}

/** The exact path for rows the joined path cannot carry: DuckDB's appender, value by value. */
async function appendRows(connection: DuckDBConnection, rows: readonly RawRow[]): Promise<void> {
  if (rows.length === 0) return;
  const appender = await connection.createAppender(STAGE_TABLE, null, "temp");
  const text = (value: string | null) => (value == null ? appender.appendNull() : appender.appendVarchar(value));
  try {
    for (const row of rows) {
      appendTimestamp(appender, row.event_time);
      text(row.event_type);
      text(row.product_id);
      text(row.category_id);
      text(row.category_code);
      text(row.brand);
      if (row.price == null) appender.appendNull();
      else appender.appendDouble(row.price);
      text(row.user_id);
      text(row.user_session);
      appender.appendInteger(row._kafka_partition);
      appender.appendBigInt(BigInt(row._kafka_offset));
      appendTimestamp(appender, row._ingested_at);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

const appendTimestamp = (appender: DuckDBAppender, micros: number) =>
  appender.appendTimestamp(new DuckDBTimestampValue(BigInt(micros)));
