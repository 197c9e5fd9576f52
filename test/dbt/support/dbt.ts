/**
 * Runs the project's dbt the way users do — through scripts/dbt.ts — against a scratch
 * warehouse, with dbt's target/ and logs/ in scratch folders too, so a test neither reads
 * nor disturbs the developer's own builds.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../../../lib/paths.ts";

export interface DbtRun {
  exitCode: number;
  /** dbt's console output (stdout and stderr interleaved as dbt wrote them). */
  output: string;
  /** `results` of target/run_results.json: one entry per node dbt ran. */
  results: { unique_id: string; status: string; message: string | null; execution_time: number }[];
}

/**
 * Runs `dbt <args>` with WAREHOUSE_DIR=`warehouseDir`; target/ and logs/ go under `scratchDir`.
 * The target is `local` unless `args` say otherwise; `env` adds variables (BigQuery settings).
 */
export async function runDbt(
  args: string[],
  warehouseDir: string,
  scratchDir: string,
  env: Record<string, string> = {},
): Promise<DbtRun> {
  const targetPath = join(scratchDir, "target");
  const child = Bun.spawn([process.execPath, join(paths.root, "scripts", "dbt.ts"), ...args], {
    env: {
      ...process.env,
      WAREHOUSE_DIR: warehouseDir,
      DBT_TARGET: "local",
      DBT_TARGET_PATH: targetPath,
      DBT_LOG_PATH: join(scratchDir, "logs"),
      DBT_USE_COLORS: "false",
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  let results: DbtRun["results"] = [];
  try {
    results = JSON.parse(readFileSync(join(targetPath, "run_results.json"), "utf8")).results;
  } catch {
    // dbt failed before writing results; the output says why.
  }
  return { exitCode, output: stdout + stderr, results };
}

/** Throws with dbt's output when a run did not succeed: the failure message is in there. */
export function assertSucceeded(run: DbtRun, what: string): void {
  if (run.exitCode !== 0) {
    throw new Error(`${what} exited with ${run.exitCode}:\n${run.output.split("\n").slice(-60).join("\n")}`);
  }
}
