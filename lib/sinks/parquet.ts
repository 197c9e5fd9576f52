import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { rename } from "node:fs/promises";
import { join } from "node:path";
import { landingRoot, partitionDir, tempNameFor, warehouseDir } from "../warehouse/landing.ts";
import { ensureDurableDir, removeIfExists, removeStaleTempFiles, syncDir, syncFile } from "./parquet-files.ts";
import { planBatch, plannedFileName, shareFiles } from "./parquet-plan.ts";
import type * as Stage from "./parquet-stage.ts";
import { rejectReason } from "./parquet-validate.ts";
import { RowBatch, type RawRow, type RejectedRow, type Sink, type WriteResult } from "./sink.ts";

/**
 * The local warehouse sink: each batch becomes immutable zstd Parquet files under
 * `<warehouse>/raw/kafka_ecom_events/event_date=YYYY-MM-DD/`, one per event date (named after the
 * offset range of each Kafka partition in it, see parquet-plan.ts), rows sorted by the BigQuery
 * clustering columns.
 * Readers (dbt, `just sql`, the dashboard) never take a lock and never see a partial file: every
 * file is written under a temp name (`.<name>.parquet.tmp`), fsynced, renamed into place, and the
 * folder fsynced, before write() resolves.
 *
 * How (parquet-stage.ts): the batch's rows are appended to an in-memory DuckDB table straight
 * from their columns (JS thread), grouped by output file so that each file's rows sit together,
 * then one COPY per file filters, sorts and writes it (DuckDB's threads, while the consumer
 * decodes its next batch). A batch is staged into one of two tables while the COPYs of the batch
 * before it still read the other. The files are shared between two connections, each running
 * its COPYs as one script: a backfill batch spans ~40 dates, a file of a few thousand rows keeps
 * one thread busy for a few ms (most of it in the sort and the Parquet encoder), and two at a
 * time keep both cores busy when the JS thread has nothing to decode.
 * Measured on the 2-core dev machine (DuckDB 1.5.6) with the whole consumer (scripts/consume.ts)
 * on the 885,129-event reference-shaped backfill (157 dates, 6 partitions), colleagues' jobs
 * keeping the load at 3.7, against the previous sink (each column joined into one string that
 * DuckDB split, one prepared COPY per file, row objects from the decoder): CPU 3.7–4.5 s against
 * 5.4–6.5 s, peak RSS 450 against 970 MB, wall 3.9–4.7 s against 5.7–6.6 s. Of the CPU, DuckDB's
 * threads take ~2 s (COPY: sort ~0.5, Parquet encoding and zstd ~1, ~1 ms fixed per file), the
 * JS thread ~1.5 (consume 0.3, decode 0.4, staging 0.5). test/sinks/parquet.bench.ts (3 dates,
 * columns in): 2.2 µs CPU per row, 0.6 of it on the JS thread (was 2.7–3.0 and 0.8–1.0).
 * zstd level 1 is faster than DuckDB's default (3) and here even smaller (13.2 vs 13.5 MB);
 * snappy is 1.5× bigger; bigger or smaller row groups, dictionary limits, Parquet v2 and no
 * bloom filters did not help. Memory is per batch: a staging table is recreated after each.
 */

/** How the sink writes; every field has a measured default. */
export interface ParquetSinkOptions {
  /** The warehouse folder (default: WAREHOUSE_DIR, else `<repo>/.local/warehouse`). */
  warehouseDir?: string;
  /** zstd level (DuckDB's COMPRESSION_LEVEL); 1 measured fastest and smallest here. */
  compressionLevel?: number;
  /**
   * DuckDB threads per query (default 1). Each COPY is small and two run at once, each on its
   * connection's thread: with DuckDB's default (one per core) the same work took 15–20% more
   * CPU (885k rows: 4.4–4.6 s against 3.8 s for the whole consumer) and no less time.
   */
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
  /** Its index in the plan: the `_file` of its rows in the staging table. */
  index: number;
  rows: number;
  dir: string;
  tempPath: string;
  finalPath: string;
}

/** COPY scripts in flight at once (one connection each); see the module comment. */
const COPY_CONNECTIONS = 2;

/** A staging table, and when it is empty again (its batch written, or failed, and the table recreated). */
interface StageTable {
  name: string;
  free: Promise<void>;
}

// Temp files older than this at open() were left by a writer that died mid-file.
const STALE_TEMP_MS = 60 * 60 * 1000;

/** The local Parquet sink (see the module comment). */
export class ParquetSink implements Sink {
  readonly name = "parquet";
  /** `<warehouse>/raw/kafka_ecom_events`. */
  readonly root: string;
  private instance?: DuckDBInstance;
  // parquet-stage.ts and with it DuckDB, loaded by open() (see there).
  private duck?: typeof Stage;
  // The appender's own connection: a sync append on a connection running a COPY would wait for it.
  private stageConnection?: DuckDBConnection;
  private copyConnections: DuckDBConnection[] = [];
  // Two staging tables: a batch is staged (JS thread) while the one before it is copied out
  // (DuckDB's threads). Files are written one batch after the other: concurrent writes queue.
  private tables: StageTable[] = [];
  // Everything done on the staging connection, in order: a sync append there while a query of
  // it is still running fails ("closed pending query result").
  private stageQueue: Promise<unknown> = Promise.resolve();
  private writes = 0;
  private lastWrite: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ParquetSinkOptions = {}) {
    this.root = landingRoot(options.warehouseDir ?? warehouseDir());
  }

  /** Creates the landing folder and the in-memory DuckDB session; clears stale temp files. */
  async open(): Promise<void> {
    if (this.instance) return;
    try {
      await ensureDurableDir(this.root);
    } catch (cause) {
      throw new ParquetSinkError("cannot create the landing folder (check WAREHOUSE_DIR and permissions)", this.root, { cause });
    }
    await removeStaleTempFiles(this.root, STALE_TEMP_MS);
    const config: Record<string, string> = { threads: String(this.options.threads ?? 1) };
    if (this.options.memoryLimit !== undefined) config.memory_limit = this.options.memoryLimit;
    // Loaded here rather than imported: the consumer opens its sink while it joins its group, so
    // DuckDB's ~70 ms load (a 60 MB library) overlaps that wait instead of delaying the start.
    const duck = await import("./parquet-stage.ts");
    const instance = await duck.DuckDBInstance.create(":memory:", config);
    const [stageConnection, ...copyConnections] = await Promise.all(Array.from({ length: 1 + COPY_CONNECTIONS }, () => instance.connect()));
    const tables = [0, 1].map((k) => `${duck.STAGE_TABLE}_${k}`);
    for (const table of tables) await stageConnection!.run(duck.createStageSql(table));
    this.duck = duck;
    this.instance = instance;
    this.stageConnection = stageConnection;
    this.copyConnections = copyConnections;
    this.tables = tables.map((name) => ({ name, free: Promise.resolve() }));
  }

  /**
   * Writes the valid rows durably and returns the invalid ones as rejected (with reasons).
   * Throws ParquetSinkError when the files cannot be written: the batch's temp files are then
   * removed; files of the batch already renamed stay (the consumer does not commit, the rows
   * come again, staging deduplicates by partition and offset).
   */
  write(rows: RowBatch | RawRow[]): Promise<WriteResult> {
    if (!this.instance) return Promise.reject(new Error("ParquetSink.write() called before open() or after close()"));
    let batch: RowBatch;
    let plan: ReturnType<typeof planBatch>;
    const rejected: RejectedRow[] = [];
    try {
      if (rows instanceof RowBatch) {
        batch = rows;
      } else {
        // Row objects may hold anything: checked here, before they become columns.
        const valid: RawRow[] = [];
        for (const row of rows) {
          const reason = rejectReason(row);
          if (reason === undefined) valid.push(row);
          else rejected.push({ row, reason });
        }
        batch = RowBatch.fromRows(valid);
      }
      // Planning is JS work that needs no connection: done now, it overlaps with the DuckDB
      // work of a batch still being written.
      plan = planBatch(batch);
    } catch (error) {
      return Promise.reject(error);
    }
    rejected.push(...plan.rejected);
    const files = plan.files.map((file, index): OutputFile => {
      const dir = partitionDir(this.root, file.date);
      const name = plannedFileName(file);
      return { index, rows: file.rows, dir, tempPath: join(dir, tempNameFor(name)), finalPath: join(dir, name) };
    });
    const table = this.tables[this.writes++ % this.tables.length]!;
    const staged = this.stage(table, batch, plan.fileOf);
    const written = Promise.all([staged, this.lastWrite]).then(() => this.writeFiles(table.name, files));
    // Recreated rather than emptied: nothing of a failed batch can linger into the next one.
    // If even that fails, every later write to this table fails too.
    const createSql = this.duck!.createStageSql(table.name);
    const recreate = () => this.onStageConnection((connection) => connection.run(createSql)).then(() => undefined);
    table.free = written.then(recreate, recreate);
    this.lastWrite = written.catch(() => undefined);
    const count = batch.length - plan.rejected.length;
    return written.then(() => ({ written: count, rejected }));
  }

  /**
   * Stages `batch` into `table` as soon as the table is free. Its own function so that only this
   * closure holds the batch: the columns can be collected once they are in DuckDB.
   */
  private stage(table: StageTable, batch: RowBatch, fileOf: Int32Array[]): Promise<void> {
    const duck = this.duck!;
    return table.free.then(() => this.onStageConnection((connection) => duck.stageRows(connection, table.name, batch, fileOf)));
  }

  /** Runs `step` on the staging connection once every step queued before it is done. */
  private onStageConnection<T>(step: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = this.stageConnection!;
    const result = this.stageQueue.then(() => step(connection));
    this.stageQueue = result.catch(() => undefined);
    return result;
  }

  /** Closes the DuckDB session once the writes in flight are done. */
  async close(): Promise<void> {
    await Promise.all(this.tables.map((table) => table.free.catch(() => undefined)));
    await this.stageQueue;
    for (const connection of [this.stageConnection, ...this.copyConnections]) connection?.closeSync();
    this.instance?.closeSync();
    this.stageConnection = undefined;
    this.copyConnections = [];
    this.tables = [];
    this.instance = undefined;
  }

  /**
   * Copies each planned file out of the staging table `table`, then publishes them all.
   *
   * Every step of a batch is one await whatever its number of files (one COPY script per
   * connection, the fsyncs and renames all at once): DuckDB's threads and the file system work
   * in the background, but the next step starts only when the JS thread reaches the event loop,
   * which the consumer, busy decoding the next batch, does only every few milliseconds. With a
   * query and a rename per file (~40 files a batch, ~7 ms each) DuckDB waited on JS between
   * files and the consumer ended up mostly waiting on the sink (885k events: see run.ts).
   */
  private async writeFiles(table: string, files: OutputFile[]): Promise<void> {
    const duck = this.duck!;
    if (files.length === 0) return;
    const level = this.options.compressionLevel ?? 1;
    const dirs = [...new Set(files.map((file) => file.dir))];
    let started: OutputFile[] = [];
    try {
      await Promise.all(dirs.map((dir) => attempt("cannot create the partition folder", dir, () => ensureDurableDir(dir))));
      started = files;
      const shares = shareFiles(files, this.copyConnections.length);
      // Settled, not all: when one script fails the other must be done before its files are removed.
      const copies = await Promise.allSettled(shares.map(async (share, k) => {
        if (share.length === 0) return;
        const script = duck.copyFilesSql(table, share.map((file) => ({ file: file.index, path: file.tempPath })), level);
        const written = await attempt("cannot write the Parquet files (disk full? permissions?)", share[0]!.dir, () => this.copyConnections[k]!.run(script));
        checkRowCounts(share, await written.getRows());
      }));
      for (const copy of copies) if (copy.status === "rejected") throw copy.reason;
      // fsync every file before the first rename: a crash leaves whole files or temp files.
      await Promise.all(files.map((file) => attempt("cannot fsync the Parquet file", file.tempPath, () => syncFile(file.tempPath))));
      await Promise.all(files.map((file) => attempt("cannot rename the Parquet file into place", file.finalPath, () => rename(file.tempPath, file.finalPath))));
      await Promise.all(dirs.map((dir) => attempt("cannot fsync the partition folder", dir, () => syncDir(dir))));
    } catch (error) {
      await Promise.all(started.map((file) => removeIfExists(file.tempPath).catch(() => false)));
      throw error;
    }
  }
}

/** Each file must hold the rows planned for it (its footer's count, read back by the COPY script). */
function checkRowCounts(files: readonly OutputFile[], counts: readonly (readonly unknown[])[]): void {
  const written = new Map(counts.map(([name, rows]) => [String(name), Number(rows)]));
  for (const file of files) {
    const rows = written.get(file.tempPath);
    if (rows !== file.rows) throw new ParquetSinkError("a Parquet file does not hold the planned rows", file.tempPath, { cause: new Error(`wrote ${rows ?? "no"} rows, the plan has ${file.rows}`) });
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
