import { linkSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../../paths.ts";

/**
 * The benchmark's private folder for one invocation (`.local/bench/pipeline-<run id>/`): every
 * warehouse a consumer writes and every dbt target lives here, never in the user's
 * `.local/warehouse`, and the whole folder is removed at the end and on Ctrl-C.
 */
export class Workspace {
  readonly root: string;
  private stopped = false;

  constructor(runId: string) {
    this.root = join(paths.local, "bench", runId);
  }

  /** A fresh, empty folder `name` inside the workspace (an older one of that name is removed). */
  fresh(name: string): string {
    if (this.stopped) throw new Error(`not creating ${name}: the benchmark is stopping`);
    const dir = join(this.root, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Removes one folder of the workspace (a finished run's warehouse: 10M rows are ~300 MB). */
  remove(dir: string): void {
    if (!dir.startsWith(`${this.root}/`)) throw new Error(`refusing to remove ${dir}: not inside the benchmark workspace ${this.root}`);
    rmSync(dir, { recursive: true, force: true });
  }

  /** Removes the whole workspace and refuses new folders; never throws (cleanup on exit and Ctrl-C). */
  removeAll(): void {
    this.stopped = true;
    try {
      rmSync(this.root, { recursive: true, force: true });
    } catch (error) {
      console.error(`could not remove ${this.root}: ${(error as Error).message}`);
    }
  }
}

/**
 * Hard-links every `*.parquet` file under `from` into the same relative place under `to`, so
 * each dbt run starts from the same landing without copying it. Safe because landing files are
 * immutable (written under a temp name, renamed into place, never modified); files still being
 * written (temp names) are skipped. Returns how many files were linked.
 */
export function linkLanding(from: string, to: string): number {
  let linked = 0;
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) linked += linkLanding(source, join(to, entry.name));
    else if (entry.isFile() && entry.name.endsWith(".parquet") && !entry.name.startsWith(".")) {
      linkSync(source, join(to, entry.name));
      linked++;
    }
  }
  return linked;
}
