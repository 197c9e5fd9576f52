import { rowsLabel, type BenchContext } from "./context.ts";
import { ensureCsv } from "./data.ts";
import { benchDbt } from "./dbt-step.ts";
import { benchEndToEnd } from "./e2e-step.ts";
import { benchConsumer, benchProducer, dlqTopic, fillLanding, fillTopic, type Landing } from "./kafka-steps.ts";
import { e2eRows, willRun } from "./plan.ts";

/**
 * Runs the plan, one size at a time (smallest first) so only one size's topic and landing exist
 * at once: producer runs (the last run's topic stays as the consumer's source), consumer runs
 * (the last landing stays for dbt), dbt runs, then the end-to-end runs on their size. What a
 * skipped part would have provided is made by one untimed run. A failing run is recorded and the
 * benchmark goes on; a failure preparing a size (no CSV, no topic) skips the rest of that size.
 * Topics and folders are deleted as soon as they are not needed, and at the end.
 */
export async function runSession(ctx: BenchContext): Promise<void> {
  const { plan } = ctx;
  const needsTopic = willRun(plan, "consume") || willRun(plan, "dbt");
  try {
    if (needsTopic) await ctx.topics.create(dlqTopic(ctx), 1);
    for (const rows of plan.sizes) {
      ctx.log(`\n${rowsLabel(rows)} rows`);
      let source: string | null = null;
      let landing: Landing | null = null;
      try {
        const csv = await ensureCsv(rows, plan.seed, ctx.commands, ctx.log);
        if (willRun(plan, "produce")) source = await benchProducer(ctx, rows, csv);
        if (needsTopic && !source) source = await fillTopic(ctx, rows, csv);
        if (source && willRun(plan, "consume")) landing = await benchConsumer(ctx, rows, source);
        if (source && willRun(plan, "dbt")) {
          landing ??= await fillLanding(ctx, rows, source);
          await benchDbt(ctx, rows, csv, source, landing);
        }
        if (source) await ctx.topics.delete(source);
        if (landing) ctx.workspace.remove(landing.warehouseDir);
        if (willRun(plan, "e2e") && rows === e2eRows(plan)) await benchEndToEnd(ctx, rows, csv);
      } catch (error) {
        ctx.results.fail(`${rowsLabel(rows)} rows: preparation`, error);
        ctx.log(`  ${rowsLabel(rows)} rows: FAILED (rest of this size skipped): ${(error as Error).message}`);
      }
    }
  } finally {
    await ctx.topics.deleteAll();
  }
}
