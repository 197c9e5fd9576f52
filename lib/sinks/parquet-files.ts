import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { dateOfPartitionDir, isTempName } from "../warehouse/landing.ts";

/**
 * Durable file publication for the landing folder: a file is written under a temp name, fsynced,
 * renamed into place and its directory fsynced — after that, a crash can neither lose it nor
 * leave a half-written `.parquet` behind (rename is atomic within one directory on POSIX).
 */

/** Flushes a file's data and metadata to disk. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a directory's entries (a rename or unlink inside it) to disk. */
export async function syncDir(path: string): Promise<void> {
  // Linux allows fsync on a directory opened read-only; that is what makes a rename durable.
  await syncFile(path);
}

/**
 * Creates `dir` and any missing parents, then fsyncs the parent of each directory it created so
 * that the new directory entries survive a crash too. Returns whether anything was created.
 */
export async function ensureDurableDir(dir: string): Promise<boolean> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return false;
  // mkdir returns the first directory it created; every level from there down is new.
  for (let created = dir; ; created = dirname(created)) {
    await syncDir(dirname(created));
    if (created === first || dirname(created) === created) break;
  }
  return true;
}

/** Eight random hex characters: keeps names unique across writers and redeliveries. */
export const randomTag = (): string => randomBytes(4).toString("hex");

/** The name of the file compaction merges one date into, e.g. `compacted-n52000-1f0c….parquet`. */
export function compactedFileName(rows: number): string {
  return `compacted-n${rows}-${randomTag()}.parquet`;
}

/**
 * Makes a written temp file visible under its final name: fsync the data, rename (atomic), then
 * fsync the directory. Both paths must be in the same directory.
 */
export async function publishFile(tempPath: string, finalPath: string): Promise<void> {
  await syncFile(tempPath);
  await rename(tempPath, finalPath);
  await syncDir(dirname(finalPath));
}

/** Deletes a file if it exists (a concurrent compaction may have removed it already). */
export async function removeIfExists(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/**
 * Removes temp files older than `olderThanMs` from every partition folder under `root`: what a
 * writer killed mid-file leaves. Young temp files may belong to a live writer and are kept.
 * Returns the paths removed.
 */
export async function removeStaleTempFiles(root: string, olderThanMs: number): Promise<string[]> {
  const removed: string[] = [];
  const now = Date.now();
  for (const entry of await readdirIfExists(root)) {
    if (dateOfPartitionDir(entry) === undefined) continue;
    const dir = join(root, entry);
    for (const name of await readdirIfExists(dir)) {
      if (!isTempName(name)) continue;
      const path = join(dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && now - info.mtimeMs >= olderThanMs && (await removeIfExists(path))) removed.push(path);
    }
  }
  return removed;
}

/** A directory's entries, or none when it does not exist (yet). */
export async function readdirIfExists(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
