import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import {
  CLUSTER_COLUMNS,
  RAW_COLUMNS,
  dateOfPartitionDir,
  isLandingFile,
  landingRoot,
  partitionDir,
  sqlIdentifier,
  sqlString,
  tempNameFor,
  warehouseDir,
} from "../warehouse/landing.ts";
import {
  compactedFileName,
  publishFile,
  randomTag,
  readdirIfExists,
  removeIfExists,
  removeStaleTempFiles,
  syncDir,
} from "./parquet-files.ts";

/**
 * Small-file hygiene for the landing folder: a streaming consumer flushing every few seconds
 * leaves many small files per date. Compaction merges the files of one event date into one file
 * sorted by the clustering columns, atomically: the merged file is written under a temp name,
 * fsynced and renamed into place, and only then are the originals removed. A reader listing the
 * folder in between sees both, i.e. every row twice — the same situation as a Kafka redelivery,
 * and removed the same way: staging deduplicates by (_kafka_partition, _kafka_offset). A query
 * that listed an original just before it was removed can fail with "file not found"; run it
 * again. Rows are never changed, dropped or deduplicated here: the merged file holds exactly the
 * rows of the files it replaces. Files that land while a date is being compacted are left alone.
 */

/** What to compact. */
export interface CompactOptions {
  /** Warehouse folder (default: WAREHOUSE_DIR, else `<repo>/.local/warehouse`). */
  warehouseDir?: string;
  /** Only these event dates (YYYY-MM-DD); default: every date. */
  dates?: string[];
  /** Leave dates with fewer complete files than this alone (default 2). */
  minFiles?: number;
  /** zstd level of the merged files (default 1, as the sink). */
  compressionLevel?: number;
  /** Report what would be merged without writing anything. */
  dryRun?: boolean;
}

/** The outcome for one event date. */
export interface DateCompaction {
  date: string;
  /** Files merged (or that would be, in a dry run). */
  files: number;
  rows: number;
  /** The merged file's path; absent when the date was skipped or in a dry run. */
  output?: string;
  /** Why nothing was done, e.g. "1 file". */
  skipped?: string;
}

/** Another compaction holds the lock of this landing folder. */
export class CompactionBusyError extends Error {
  constructor(
    readonly lockPath: string,
    readonly pid: number,
  ) {
    super(`another compaction (pid ${pid}) is running on this warehouse; lock file ${lockPath}`);
    this.name = "CompactionBusyError";
  }
}

const COLUMN_LIST = RAW_COLUMNS.map(([name]) => sqlIdentifier(name)).join(", ");
// Coordinates after the clustering columns make the merged file's order deterministic.
const ORDER_BY = [...CLUSTER_COLUMNS, "_kafka_partition", "_kafka_offset"].map(sqlIdentifier).join(", ");
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Compacts every selected event date of a warehouse (see the module comment). Holds a lock file
 * so two compactions never merge the same files twice. Returns one entry per date looked at.
 */
export async function compactLanding(options: CompactOptions = {}): Promise<DateCompaction[]> {
  const warehouse = options.warehouseDir ?? warehouseDir();
  const root = landingRoot(warehouse);
  const entries = await readdirIfExists(root);
  if (entries.length === 0) return [];
  const allDates = entries.map(dateOfPartitionDir).filter((date): date is string => date !== undefined).sort();
  const dates = options.dates ? allDates.filter((date) => options.dates!.includes(date)) : allDates;
  const release = options.dryRun ? async () => {} : await acquireLock(join(root, ".compact.lock"));
  const instance = await DuckDBInstance.create(":memory:", {
    // A date larger than memory spills here (hidden: no reader glob looks inside).
    temp_directory: join(warehouse, ".duckdb_tmp"),
  });
  const connection = await instance.connect();
  try {
    if (!options.dryRun) await removeStaleTempFiles(root, STALE_TEMP_MS);
    const results: DateCompaction[] = [];
    for (const date of dates) results.push(await compactDate(connection, root, date, options));
    return results;
  } finally {
    connection.closeSync();
    instance.closeSync();
    await release();
  }
}

/** Merges the complete files of one date into one sorted file (see the module comment). */
export async function compactDate(
  connection: DuckDBConnection,
  root: string,
  date: string,
  options: Pick<CompactOptions, "minFiles" | "compressionLevel" | "dryRun"> = {},
): Promise<DateCompaction> {
  const dir = partitionDir(root, date);
  const files = (await readdirIfExists(dir)).filter(isLandingFile).sort().map((name) => join(dir, name));
  const minFiles = options.minFiles ?? 2;
  const fileList = `[${files.map(sqlString).join(", ")}]`;
  if (files.length < Math.max(minFiles, 1)) {
    return { date, files: files.length, rows: 0, skipped: `${files.length} file${files.length === 1 ? "" : "s"}` };
  }
  const counted = await connection.runAndReadAll(`select coalesce(sum(num_rows), 0) from parquet_file_metadata(${fileList})`);
  const inputRows = Number(counted.getRows()[0]?.[0] ?? 0);
  if (options.dryRun) return { date, files: files.length, rows: inputRows };

  const tempPath = join(dir, tempNameFor(`compacting-${randomTag()}.parquet`));
  try {
    const copied = await connection.runAndReadAll(
      `copy (select ${COLUMN_LIST} from read_parquet(${fileList}, hive_partitioning = false, union_by_name = true)
             order by ${ORDER_BY})
       to ${sqlString(tempPath)}
       (format parquet, compression zstd, compression_level ${options.compressionLevel ?? 1})`,
    );
    const rows = Number(copied.getRows()[0]?.[0] ?? -1);
    const written = await connection.runAndReadAll(`select num_rows from parquet_file_metadata(${sqlString(tempPath)})`);
    if (rows !== inputRows || Number(written.getRows()[0]?.[0]) !== inputRows) {
      throw new Error(`merged ${rows} rows, files hold ${inputRows}; originals left untouched`);
    }
    const output = join(dir, compactedFileName(rows));
    await publishFile(tempPath, output);
    for (const file of files) await removeIfExists(file);
    await syncDir(dir);
    return { date, files: files.length, rows, output };
  } catch (error) {
    await removeIfExists(tempPath).catch(() => false);
    throw new Error(`compacting ${dir} failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Takes `<root>/.compact.lock` (O_EXCL); a lock whose pid is gone is taken over. */
async function acquireLock(lockPath: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => unlink(lockPath).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
      if (pid > 0 && isAlive(pid)) throw new CompactionBusyError(lockPath, pid);
      // Left by a compaction that died: move it aside (atomic, one winner), then retry once.
      const aside = `${lockPath}.stale-${randomTag()}`;
      await rename(lockPath, aside).then(() => unlink(aside), () => undefined);
    }
  }
  throw new Error(`cannot take the compaction lock ${lockPath}`);
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};
