import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../../paths.ts";
import { runCommand } from "../run.ts";
import type { CommandLog } from "./commands.ts";

/** Where the benchmark keeps its generated CSVs between invocations (git-ignored). */
export const BENCH_DATA_DIR = join(paths.local, "bench", "data");

/** The CSV of `rows` rows from seed `seed`; the name is the cache key, so it must encode both. */
export const csvPath = (rows: number, seed: number) => join(BENCH_DATA_DIR, `events-${rows}-seed${seed}.csv`);

/** The file of the events added before the incremental dbt rebuild (see writeTailCsv). */
export const tailCsvPath = (rows: number, seed: number, events: number) => join(BENCH_DATA_DIR, `events-${rows}-seed${seed}.tail${events}.csv`);

/** Sizes whose CSV is not generated yet (they cost generation time, see the estimate). */
export const missingCsvs = (sizes: readonly number[], seed: number) => sizes.filter((rows) => !existsSync(csvPath(rows, seed)));

/**
 * Returns the CSV for `rows`/`seed`, generating it with scripts/generate.ts when absent. The
 * generator writes to a temporary name that is renamed only after it succeeded, so an
 * interrupted run never leaves a short file under the cached name.
 */
export async function ensureCsv(rows: number, seed: number, commands: CommandLog, log: (line: string) => void): Promise<string> {
  const file = csvPath(rows, seed);
  if (existsSync(file)) return file;
  mkdirSync(BENCH_DATA_DIR, { recursive: true });
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  log(`  generating ${rows.toLocaleString("en-US")} rows (seed ${seed}) → ${file}`);
  const cmd = commands.script("generate", ["--rows", String(rows), "--seed", String(seed), "--out", partial, "--quiet"]);
  try {
    await runCommand(cmd.argv, { env: cmd.env, timeoutMs: 60_000 + rows / 20 });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, file);
  return file;
}

/**
 * The last `n` lines of `text` (ignoring a trailing newline), or all of them when there are
 * fewer. Throws when `text` does not reach back far enough to hold `n` complete lines and
 * `complete` is false (the caller read only the file's tail and must read more).
 */
export function lastLines(text: string, n: number, complete = true): string[] {
  const lines = text.replace(/\r?\n$/, "").split(/\r?\n/);
  if (lines.length > n) return lines.slice(-n);
  if (!complete) throw new RangeError(`need ${n} complete lines, the text holds ${lines.length - 1}`);
  return lines;
}

/**
 * Writes the CSV header plus the last `events` rows of `source` to `target` (once; reused
 * after). These are the latest events of the file — the day a live stream would be adding to —
 * produced again under new offsets, so the incremental rebuild sees genuinely new raw rows.
 */
export function writeTailCsv(source: string, target: string, events: number): string {
  if (existsSync(target)) return target;
  const fd = openSync(source, "r");
  try {
    const head = Buffer.alloc(4096);
    const headBytes = readSync(fd, head, 0, head.length, 0);
    const header = head.subarray(0, headBytes).toString("utf8").split(/\r?\n/)[0]!;
    const size = fstatSync(fd).size;
    // Rows are ~120 bytes; read a generous tail and grow it when a row turns out longer.
    for (let want = events * 400; ; want *= 2) {
      const length = Math.min(size, want);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      const text = buffer.toString("utf8");
      const whole = length === size;
      const rows = whole ? lastLines(text, events + 1).filter((line) => line !== header).slice(-events) : safeLastLines(text, events);
      if (rows) {
        const partial = `${target}.partial`;
        writeFileSync(partial, `${header}\n${rows.join("\n")}\n`);
        renameSync(partial, target);
        return target;
      }
    }
  } finally {
    closeSync(fd);
  }
}

const safeLastLines = (text: string, n: number) => {
  try {
    return lastLines(text, n, false);
  } catch {
    return null;
  }
};
