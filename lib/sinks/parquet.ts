import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { rename } from "node:fs/promises";
import { join } from "node:path";
import { landingRoot, partitionDir, tempNameFor, warehouseDir } from "../warehouse/landing.ts";
import { encodeRows, writeParquetFile, type EncodedRows } from "./parquet-encode.ts";
import { ensureDurableDir, removeIfExists, removeStaleTempFiles, syncDir, syncFile } from "./parquet-files.ts";
import { planBatch, plannedFileName } from "./parquet-plan.ts";
import type { RawRow, Sink, WriteResult } from "./sink.ts";

/**
 * The local warehouse sink: each batch becomes immutable zstd Parquet files under
 * `<warehouse>/raw/kafka_ecom_events/event_date=YYYY-MM-DD/`, one per event date (named after the
 * offset range of each Kafka partition in it, see parquet-plan.ts), rows sorted by the BigQuery
 * clustering columns.
 * Readers (dbt, `just sql`, the dashboard) never take a lock and never see a partial file: every
 * file is written under a temp name (`.<name>.parquet.tmp`), fsynced, renamed into place, and the
 * folder fsynced, before write() resolves.
 *
 * Measured with test/sinks/parquet.bench.ts on the 2-core dev machine (Bun 1.4.5, DuckDB 1.5.6;
 * generated rows over 3 dates and 3 partitions, UUID sessions, 19-digit ids), write() including
 * fsync and rename, while other jobs shared the machine (load 2–3.5):
 *   rows/batch   rows/s      CPU µs/row (all threads)   of it on the JS thread   peak RSS added
 *      50,000   370–420k     2.6–3.0                    0.8–0.9                  ~90 MB
 *     100,000   390–420k     2.7–2.9                    0.9–1.0                  ~110 MB
 *     200,000   ~450k        2.7                        ~1.0                     ~170 MB
 *     500,000   440–490k     2.7–2.9                    1.0–1.2                  ~450 MB
 * A backfill batch spans many dates, so many smaller files (fixed cost ~4–5 ms CPU each): over
 * 90 dates and 6 partitions, 100k-row batches cost 5.5 µs/row (170k rows/s), 500k-row batches
 * 3.6 µs/row (280k rows/s), load ~4. Under heavier load (4–8) the 3-date runs above gave
 * 140–300k rows/s. Where the CPU goes for 500k rows:
 * JS validation, gathering and joins ~400 ms, UTF-16 → UTF-8 for the binding ~80 ms, DuckDB
 * split + cast ~300 ms, sort ~400 ms, Parquet encoding + zstd ~350 ms. Most of it runs on
 * DuckDB's threads: a consumer that decodes its next batch while write() is in flight (the sink
 * encodes a batch as soon as write() is called and queues the DuckDB part) keeps both cores busy.
 * zstd level 1 is faster than DuckDB's default (3) and here even smaller (13.2 vs 13.5 MB);
 * snappy is 1.5× bigger; bigger or smaller row groups, dictionary limits and Parquet v2 did not
 * help. Memory is per batch: one connection, no table left behind; RSS stays flat over batches.
 */

/** How the sink writes; every field has a measured default. */
export interface ParquetSinkOptions {
  /** The warehouse folder (default: WAREHOUSE_DIR, else `<repo>/.local/warehouse`). */
  warehouseDir?: string;
  /** zstd level (DuckDB's COMPRESSION_LEVEL); 1 measured fastest and smallest here. */
  compressionLevel?: number;
  /** DuckDB worker threads (default: DuckDB's, one per core). */
  threads?: number;
  /** DuckDB memory limit, e.g. "1GB" (default: DuckDB's, 80% of RAM). */
  memoryLimit?: string;
}

/** Writing a batch failed; `path` is the file or folder involved, the cause says why. */
export class ParquetSinkError extends Error {
  constructor(
    message: string,
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`${message} (${path}): ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
    this.name = "ParquetSinkError";
  }
}

/** A planned file on its way to disk. */
interface OutputFile {
  date: string;
  encoded: EncodedRows;
  dir: string;
  tempPath: string;
  finalPath: string;
}

// Temp files older than this at open() were left by a writer that died mid-file.
const STALE_TEMP_MS = 60 * 60 * 1000;

/** The local Parquet sink (see the module comment). */
export class ParquetSink implements Sink {
  readonly name = "parquet";
  /** `<warehouse>/raw/kafka_ecom_events`. */
  readonly root: string;
  private instance?: DuckDBInstance;
  private connection?: DuckDBConnection;
  // One connection, one batch at a time: concurrent write() calls queue.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ParquetSinkOptions = {}) {
    this.root = landingRoot(options.warehouseDir ?? warehouseDir());
  }

  /** Creates the landing folder and the in-memory DuckDB session; clears stale temp files. */
  async open(): Promise<void> {
    if (this.connection) return;
    try {
      await ensureDurableDir(this.root);
    } catch (cause) {
      throw new ParquetSinkError("cannot create the landing folder (check WAREHOUSE_DIR and permissions)", this.root, { cause });
    }
    await removeStaleTempFiles(this.root, STALE_TEMP_MS);
    const config: Record<string, string> = {};
    if (this.options.threads !== undefined) config.threads = String(this.options.threads);
    if (this.options.memoryLimit !== undefined) config.memory_limit = this.options.memoryLimit;
    this.instance = await DuckDBInstance.create(":memory:", config);
    this.connection = await this.instance.connect();
  }

  /**
   * Writes the valid rows durably and returns the invalid ones as rejected (with reasons).
   * Throws ParquetSinkError when the files cannot be written: the batch's temp files are then
   * removed; files of the batch already renamed stay (the consumer does not commit, the rows
   * come again, staging deduplicates by partition and offset).
   */
  write(rows: RawRow[]): Promise<WriteResult> {
    // Validation and encoding are JS work that need no connection: done now, they overlap with
    // the DuckDB work of a batch still being written.
    if (!this.connection) return Promise.reject(new Error("ParquetSink.write() called before open() or after close()"));
    let prepared: { files: OutputFile[]; rejected: WriteResult["rejected"] };
    try {
      prepared = this.prepare(rows);
    } catch (error) {
      return Promise.reject(error);
    }
    const result = this.queue.then(() => this.writeFiles(prepared.files)).then(() => ({
      written: rows.length - prepared.rejected.length,
      rejected: prepared.rejected,
    }));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Closes the DuckDB session once the writes in flight are done. */
  async close(): Promise<void> {
    await this.queue;
    this.connection?.closeSync();
    this.instance?.closeSync();
    this.connection = undefined;
    this.instance = undefined;
  }

  private prepare(rows: RawRow[]): { files: OutputFile[]; rejected: WriteResult["rejected"] } {
    const { files, rejected } = planBatch(rows);
    return {
      rejected,
      files: files.map((file): OutputFile => {
        const dir = partitionDir(this.root, file.date);
        const name = plannedFileName(file);
        return { date: file.date, encoded: encodeRows(file.rows), dir, tempPath: join(dir, tempNameFor(name)), finalPath: join(dir, name) };
      }),
    };
  }

  private async writeFiles(files: OutputFile[]): Promise<void> {
    const connection = this.connection;
    if (!connection) throw new Error("ParquetSink.write() called before open() or after close()");
    const level = this.options.compressionLevel ?? 1;
    const started: OutputFile[] = [];
    try {
      for (const dir of new Set(files.map((file) => file.dir))) {
        await attempt("cannot create the partition folder", dir, () => ensureDurableDir(dir));
      }
      for (const file of files) {
        started.push(file);
        await attempt("cannot write the Parquet file (disk full? permissions?)", file.tempPath, () =>
          writeParquetFile(connection, file.encoded, file.tempPath, level),
        );
      }
      // fsync every file before the first rename: a crash leaves whole files or temp files.
      await Promise.all(files.map((file) => attempt("cannot fsync the Parquet file", file.tempPath, () => syncFile(file.tempPath))));
      for (const file of files) {
        await attempt("cannot rename the Parquet file into place", file.finalPath, () => rename(file.tempPath, file.finalPath));
      }
      await Promise.all([...new Set(files.map((file) => file.dir))].map((dir) => attempt("cannot fsync the partition folder", dir, () => syncDir(dir))));
    } catch (error) {
      await Promise.all(started.map((file) => removeIfExists(file.tempPath).catch(() => false)));
      throw error;
    }
  }
}

/** Runs `step`, wrapping its failure in a ParquetSinkError that names what and where. */
async function attempt<T>(message: string, path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (cause) {
    if (cause instanceof ParquetSinkError) throw cause;
    throw new ParquetSinkError(message, path, { cause });
  }
}
