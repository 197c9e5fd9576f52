import {
  BIGINT,
  DOUBLE,
  DuckDBDataChunk,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
} from "@duckdb/node-api";
import * as bindings from "@duckdb/node-bindings";
import type { Vector } from "@duckdb/node-bindings";
import { ptr } from "bun:ffi";
import { CLUSTER_COLUMNS, RAW_COLUMNS, sqlIdentifier, sqlString } from "../warehouse/landing.ts";
import type { RowBatch, RowColumns } from "./sink.ts";

/**
 * The Parquet sink's DuckDB side: a batch's rows go into one staging table (the landing columns
 * plus `_file`, the planned file of each row), then one `COPY (… where _file = k order by …)`
 * per file writes them sorted.
 *
 * Problem: every way of moving strings from JS into DuckDB cost more than DuckDB's own work on
 * them. Per row, measured on the 2-core dev machine: an appender call per value ~1.2 µs; joining
 * each column into one string for DuckDB to split ~1.5 µs (JS join + UTF-16 → UTF-8 + split).
 * Solution: data chunks whose VARCHAR vectors are written as raw `duckdb_string_t` structs (the
 * C API's public layout: length, then ≤ 12 bytes inline, or a 4-byte prefix and a pointer). The
 * pointers go straight into the RowColumns' buffer — for a consumed batch, the Kafka buffer the
 * Avro strings already sit in — and `duckdb_append_data_chunk` copies the strings into the
 * table before it returns (test/sinks/parquet-stage.test.ts overwrites the buffer right after
 * each append to prove it), so the pointers are only followed while the RowColumns — and with
 * them their buffers, which JSC never moves — are in use here. Numbers go in with one memcpy per
 * vector. 885k rows: ~0.5 µs per row on the JS thread, ~0.35 of it inside the append (DuckDB
 * copying into the table and checking the UTF-8, which fails the append if it is invalid; the
 * decoder already replaced invalid sequences).
 */

// For parquet.ts, which loads this module (and DuckDB with it) only when a sink opens.
export { DuckDBInstance } from "@duckdb/node-api";

/** Prefix of the staging tables' names (each sink has its own in-memory database). */
export const STAGE_TABLE = "ecom_stage";

const STAGE_COLUMNS = [...RAW_COLUMNS, ["_file", "INTEGER"]] as const;
const SELECT_LIST = RAW_COLUMNS.map(([name]) => sqlIdentifier(name)).join(", ");
const ORDER_BY = CLUSTER_COLUMNS.map(sqlIdentifier).join(", ");

/** Creates (or replaces) an empty staging table. */
export const createStageSql = (table: string): string =>
  `create or replace table ${table} (${STAGE_COLUMNS.map(([name, type]) => `${sqlIdentifier(name)} ${type}`).join(", ")})`;

/**
 * The COPY writing planned file `file` to `path` (a temp name: the caller renames it), its rows
 * sorted by the clustering columns, zstd at `compressionLevel`.
 */
export const copyFileSql = (table: string, file: number, path: string, compressionLevel: number): string =>
  `copy (select ${SELECT_LIST} from ${table} where _file = ${file} order by ${ORDER_BY}) ` +
  `to ${sqlString(path)} (format parquet, compression zstd, compression_level ${compressionLevel})`;

/**
 * One script writing several planned files (each `{ file, path }` as in copyFileSql), then
 * listing the row count of every file written, read back from the files' Parquet footers:
 * `file_name`, `num_rows`. One query for the lot keeps a connection busy in DuckDB's thread
 * without returning to JS between files (see ParquetSink.writeFiles for why that matters).
 */
export function copyFilesSql(table: string, files: readonly { file: number; path: string }[], compressionLevel: number): string {
  const copies = files.map(({ file, path }) => copyFileSql(table, file, path, compressionLevel));
  const paths = files.map(({ path }) => sqlString(path)).join(", ");
  return [...copies, `select file_name, num_rows from parquet_file_metadata([${paths}])`].join(";\n");
}

const VECTOR_SIZE = bindings.vector_size();
const DUCKDB_TYPES: Record<string, DuckDBType> = { TIMESTAMP, VARCHAR, DOUBLE, INTEGER, BIGINT };
const TYPES = STAGE_COLUMNS.map(([, type]) => DUCKDB_TYPES[type]!);
// ChunkWriter fills the vectors by position: it must be this column order.
const EXPECTED_ORDER = "event_time event_type product_id category_id category_code brand price user_id user_session _kafka_partition _kafka_offset _ingested_at _file";
if (STAGE_COLUMNS.map(([name]) => name).join(" ") !== EXPECTED_ORDER) throw new Error(`parquet-stage.ts expects the columns ${EXPECTED_ORDER}`);
// Vector index of each STRING_FIELDS entry.
const STRING_VECTORS = [1, 2, 3, 4, 5, 7, 8];
const TWO_32 = 2 ** 32;

/**
 * Appends the rows of `batch` whose `fileOf` entry is ≥ 0 to the staging table `table`, with
 * `_file` set to it, file by file: each file's COPY then reads only the storage segments that
 * hold its rows (DuckDB skips the others by their min/max). Staged in arrival order, every COPY
 * scanned the whole batch: the COPYs of a 150k-row batch spanning 40 dates took ~600 ms of CPU,
 * ~300 ms staged file by file. Synchronous work on the JS thread; the table must be empty.
 */
export async function stageRows(connection: DuckDBConnection, table: string, batch: RowBatch, fileOf: readonly Int32Array[]): Promise<void> {
  const appender = await connection.createAppender(table);
  try {
    const writer = new ChunkWriter();
    const emit = (chunk: DuckDBDataChunk) => appender.appendDataChunk(chunk);
    const files = fileOf.reduce((most, files) => files.reduce((m, f) => (f > m ? f : m), most), -1) + 1;
    const grouped = batch.parts.map((part, p) => rowsByFile(fileOf[p]!, part.length, files));
    for (let file = 0; file < files; file++) {
      batch.parts.forEach((part, p) => {
        const { rows, starts } = grouped[p]!;
        if (starts[file + 1]! > starts[file]!) writer.append(part, fileOf[p]!, rows.subarray(starts[file], starts[file + 1]), emit);
      });
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/**
 * The indices of a part's staged rows grouped by file (a counting sort, stable): file k's rows
 * are rows[starts[k] .. starts[k + 1]). Rejected rows (file -1) are left out.
 */
export function rowsByFile(fileOf: Int32Array, length: number, files: number): { rows: Int32Array; starts: Int32Array } {
  const starts = new Int32Array(files + 1);
  for (let i = 0; i < length; i++) if (fileOf[i]! >= 0) starts[fileOf[i]! + 1]!++;
  for (let k = 0; k < files; k++) starts[k + 1]! += starts[k]!;
  const next = starts.slice(0, files);
  const rows = new Int32Array(starts[files]!);
  for (let i = 0; i < length; i++) if (fileOf[i]! >= 0) rows[next[fileOf[i]!]!++] = i;
  return { rows, starts };
}

/** Fills one reusable data chunk from RowColumns, VECTOR_SIZE rows at a time. */
class ChunkWriter {
  private readonly chunk = DuckDBDataChunk.create(TYPES);
  private readonly vectors: Vector[] = TYPES.map((_, i) => bindings.data_chunk_get_vector(this.chunk.chunk, i));
  // Scratch for one vector: 16-byte string structs / 8-byte numbers / 4-byte numbers, and validity bits.
  private readonly words = new Int32Array(4 * VECTOR_SIZE);
  private readonly doubles = new Float64Array(VECTOR_SIZE);
  private readonly ints = new Int32Array(VECTOR_SIZE);
  private readonly validity = new Uint32Array(VECTOR_SIZE / 32);

  /** Emits the rows of `part` at the indices `selected`, VECTOR_SIZE rows per chunk. */
  append(part: RowColumns, fileOf: Int32Array, selected: Int32Array, emit: (chunk: DuckDBDataChunk) => void): void {
    const count = selected.length;
    const base = part.text.byteLength > 0 ? Number(ptr(part.text)) : 0;
    for (let from = 0; from < count; from += VECTOR_SIZE) {
      const rows = selected.subarray(from, Math.min(count, from + VECTOR_SIZE));
      this.chunk.reset();
      this.int64(0, part.eventTime, rows);
      STRING_VECTORS.forEach((vector, field) => this.strings(vector, part, field, base, rows));
      this.double(6, part.price, part.priceIsNull, rows);
      this.int32(9, part.partition, rows);
      this.int64(10, part.offset, rows);
      this.int64(11, part.ingestedAt, rows);
      this.int32(12, fileOf, rows);
      this.chunk.rowCount = rows.length;
      emit(this.chunk);
    }
  }

  /** A BIGINT/TIMESTAMP vector from whole numbers below 2^53 (validated by the planner). */
  private int64(vector: number, values: Float64Array, rows: Int32Array): void {
    const words = this.words;
    for (let k = 0; k < rows.length; k++) {
      const value = values[rows[k]!]!;
      const high = Math.floor(value / TWO_32);
      words[2 * k] = value - high * TWO_32;
      words[2 * k + 1] = high;
    }
    bindings.copy_data_to_vector(this.vectors[vector]!, 0, words.buffer, 0, 8 * rows.length);
  }

  private int32(vector: number, values: Float64Array | Int32Array, rows: Int32Array): void {
    for (let k = 0; k < rows.length; k++) this.ints[k] = values[rows[k]!]!;
    bindings.copy_data_to_vector(this.vectors[vector]!, 0, this.ints.buffer, 0, 4 * rows.length);
  }

  private double(vector: number, values: Float64Array, isNull: Uint8Array, rows: Int32Array): void {
    this.validity.fill(0xffffffff);
    let nulls = false;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      this.doubles[k] = values[i]!;
      if (isNull[i]) nulls = this.setNull(k);
    }
    bindings.copy_data_to_vector(this.vectors[vector]!, 0, this.doubles.buffer, 0, 8 * rows.length);
    if (nulls) this.flushValidity(vector, rows.length);
  }

  /** A VARCHAR vector of duckdb_string_t structs pointing into part.text (see the module comment). */
  private strings(vector: number, part: RowColumns, field: number, base: number, rows: Int32Array): void {
    const starts = part.starts[field]!;
    const lengths = part.lengths[field]!;
    const text = part.text;
    const words = this.words;
    this.validity.fill(0xffffffff);
    let nulls = false;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      const length = lengths[i]!;
      const w = 4 * k;
      if (length < 0) {
        nulls = this.setNull(k);
        words[w] = words[w + 1] = words[w + 2] = words[w + 3] = 0;
        continue;
      }
      const start = starts[i]!;
      words[w] = length;
      if (length <= 12) {
        // Inlined: the bytes themselves, zero-padded (DuckDB compares inlined strings whole).
        let a = 0;
        let b = 0;
        let c = 0;
        for (let j = 0; j < length; j++) {
          const byte = text[start + j]! << ((j & 3) << 3);
          if (j < 4) a |= byte;
          else if (j < 8) b |= byte;
          else c |= byte;
        }
        words[w + 1] = a;
        words[w + 2] = b;
        words[w + 3] = c;
      } else {
        words[w + 1] = text[start]! | (text[start + 1]! << 8) | (text[start + 2]! << 16) | (text[start + 3]! << 24);
        const address = base + start;
        const high = Math.floor(address / TWO_32);
        words[w + 2] = address - high * TWO_32;
        words[w + 3] = high;
      }
    }
    bindings.copy_data_to_vector(this.vectors[vector]!, 0, words.buffer, 0, 16 * rows.length);
    if (nulls) this.flushValidity(vector, rows.length);
  }

  private setNull(k: number): true {
    this.validity[k >>> 5]! &= ~(1 << (k & 31));
    return true;
  }

  private flushValidity(vector: number, count: number): void {
    bindings.vector_ensure_validity_writable(this.vectors[vector]!);
    bindings.copy_data_to_vector_validity(this.vectors[vector]!, 0, this.validity.buffer, 0, 8 * Math.ceil(count / 64));
  }
}
