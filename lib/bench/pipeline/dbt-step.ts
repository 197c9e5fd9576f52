import { join } from "node:path";
import { formatSeconds } from "../format.ts";
import { runCommand, type CommandResult } from "../run.ts";
import { load1, recordUsage, rowsLabel, timeoutFor, type BenchContext } from "./context.ts";
import { writeTailCsv, tailCsvPath } from "./data.ts";
import { consumeOnce, produceOnce, type Landing } from "./kafka-steps.ts";
import { BIG_DBT_ROWS, dbtRunsFor, willRun } from "./plan.ts";
import { parseDbtLine, type DbtLine } from "./summary-lines.ts";
import { linkLanding } from "./workspace.ts";

/**
 * Runs `just dbt build` on the warehouse in `warehouseDir`. dbt's target/ and logs/ go to
 * `outDir` rather than dbt/, so a benchmark never disturbs (or is disturbed by) a dbt the user
 * runs meanwhile; `--target local` so a WAREHOUSE=bigquery in .env cannot redirect it.
 */
async function dbtBuild(ctx: BenchContext, warehouseDir: string, outDir: string, rows: number, label: string): Promise<{ result: CommandResult; line: DbtLine }> {
  const args = ["build", "--target", "local", "--target-path", join(outDir, "target"), "--log-path", join(outDir, "logs")];
  const cmd = ctx.commands.script("dbt", args, { WAREHOUSE_DIR: warehouseDir }, label);
  const result = await runCommand(cmd.argv, { env: cmd.env, timeoutMs: timeoutFor(rows, 300, 1e-4) });
  return { result, line: parseDbtLine(result.stdout + result.stderr) };
}

/**
 * The dbt benchmark for one size. Each run builds into a fresh warehouse folder whose landing is
 * hard-linked from `landing` (so every run sees the same files) — the first, full build. Then,
 * unless skipped, the incremental case: the last `incrementalEvents` rows of the CSV are produced
 * again to `source` (new offsets, so new raw rows, on the latest day — where a live stream adds
 * data), the landing's own group consumes just them into this run's folder, and dbt builds again.
 */
export async function benchDbt(ctx: BenchContext, rows: number, csv: string, source: string, landing: Landing): Promise<void> {
  const runs = dbtRunsFor(ctx.plan, rows);
  const extra = Math.min(ctx.plan.incrementalEvents, rows);
  for (let run = 1; run <= runs; run++) {
    const what = `dbt ${rowsLabel(rows)} run ${run}/${runs}`;
    const warehouseDir = ctx.workspace.fresh(`dbt-${rows}-r${run}`);
    const outDir = join(warehouseDir, "dbt");
    try {
      linkLanding(join(landing.warehouseDir, "raw"), join(warehouseDir, "raw"));
      // A 10M-row build runs for minutes: say so rather than fall silent.
      if (rows > BIG_DBT_ROWS) ctx.log(`  ${what}: full build running (minutes at this size)…`);
      let load = load1();
      const full = await dbtBuild(ctx, warehouseDir, outDir, rows, `dbt build, full (${rowsLabel(rows)} rows)`);
      ctx.results.add("dbt.full", rows, run, full.result.wallMs / 1000);
      ctx.results.add("dbt.fullOwn", rows, run, full.line.seconds);
      ctx.results.add("dbt.rss", rows, run, full.result.peakRssBytes);
      recordUsage(ctx, "dbt", "dbt build (full)", rows, run, full.result, load);
      ctx.log(`  ${what}: full build ${formatSeconds(full.result.wallMs)} (dbt: ${full.line.seconds.toFixed(2)} s, load ${load.toFixed(2)})`);
      if (!willRun(ctx.plan, "incremental")) continue;

      const tail = writeTailCsv(csv, tailCsvPath(rows, ctx.plan.seed, extra), extra);
      await produceOnce(ctx, tail, source, extra, `add ${extra.toLocaleString("en-US")} events for the incremental build`);
      await consumeOnce(ctx, source, landing.group, warehouseDir, extra, `land them (the landing's own group, same warehouse)`);
      load = load1();
      const incremental = await dbtBuild(ctx, warehouseDir, outDir, rows + extra, `dbt build, incremental (+${extra.toLocaleString("en-US")} events)`);
      ctx.results.add("dbt.incremental", rows, run, incremental.result.wallMs / 1000);
      ctx.results.add("dbt.incrementalOwn", rows, run, incremental.line.seconds);
      recordUsage(ctx, "dbt", `dbt build (incremental, +${extra.toLocaleString("en-US")})`, rows, run, incremental.result, load);
      ctx.log(`  ${what}: incremental build ${formatSeconds(incremental.result.wallMs)} (dbt: ${incremental.line.seconds.toFixed(2)} s, load ${load.toFixed(2)})`);
    } catch (error) {
      ctx.results.fail(what, error);
      ctx.log(`  ${what}: FAILED: ${(error as Error).message}`);
    } finally {
      ctx.workspace.remove(warehouseDir);
    }
  }
}
