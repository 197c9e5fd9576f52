import { formatMiB } from "../format.ts";
import { runCommand, type CommandResult } from "../run.ts";
import { IncompleteRunError, load1, recordUsage, rowsLabel, timeoutFor, type BenchContext } from "./context.ts";
import { parseConsumeLine, parseProduceLine, type ConsumeLine, type ProduceLine } from "./summary-lines.ts";

/** A landing the consumer wrote, and the group whose committed offsets stand at its end. */
export interface Landing {
  warehouseDir: string;
  group: string;
}

/**
 * Runs `just produce` once: `csv` → `topic` (which must exist), checking every row was
 * delivered. `label` names the command in the report's command list.
 */
export async function produceOnce(ctx: BenchContext, csv: string, topic: string, rows: number, label: string): Promise<{ result: CommandResult; line: ProduceLine }> {
  const cmd = ctx.commands.script("produce", [csv, "-t", topic, "-q"], {}, label);
  const result = await runCommand(cmd.argv, { env: cmd.env, timeoutMs: timeoutFor(rows, 60, 1e-5) });
  const line = parseProduceLine(result.stderr);
  if (line.delivered !== rows || line.failed !== 0 || line.rejected !== 0) {
    throw new IncompleteRunError(`produce ${csv}`, rows, line.delivered, `${line.rejected} rejected, ${line.failed} failed`);
  }
  return { result, line };
}

/**
 * Runs `just consume --until-caught-up` once: `topic` → a local warehouse in `warehouseDir`,
 * under `group`, checking exactly `rows` events landed and none went to the dead-letter topic.
 */
export async function consumeOnce(
  ctx: BenchContext,
  topic: string,
  group: string,
  warehouseDir: string,
  rows: number,
  label: string,
): Promise<{ result: CommandResult; line: ConsumeLine }> {
  const args = ["-t", topic, "--dlq-topic", dlqTopic(ctx), "-g", group, "--until-caught-up", "-q"];
  const cmd = ctx.commands.script("consume", args, { WAREHOUSE_DIR: warehouseDir }, label);
  const result = await runCommand(cmd.argv, { env: cmd.env, timeoutMs: timeoutFor(rows, 60, 5e-5) });
  const line = parseConsumeLine(result.stderr);
  if (line.landed !== rows || line.deadLetters !== 0) {
    throw new IncompleteRunError(`consume ${topic}`, rows, line.landed, `${line.deadLetters} dead letters`);
  }
  return { result, line };
}

/** The invocation's shared dead-letter topic of the consume runs (nothing should reach it). */
export const dlqTopic = (ctx: BenchContext) => `${ctx.runId}-dlq`;

/**
 * The producer benchmark for one size: `runs` runs, each into a fresh topic. Returns the topic of
 * the last successful run, kept (full) as the consumer's source; the others are deleted at once.
 */
export async function benchProducer(ctx: BenchContext, rows: number, csv: string): Promise<string | null> {
  let kept: string | null = null;
  for (let run = 1; run <= ctx.plan.runs; run++) {
    const topic = `${ctx.runId}-${rows}-p${run}`;
    const what = `produce ${rowsLabel(rows)} run ${run}/${ctx.plan.runs}`;
    const load = load1();
    try {
      await ctx.topics.create(topic, ctx.plan.partitions);
      const { result, line } = await produceOnce(ctx, csv, topic, rows, `produce ${rowsLabel(rows)} rows`);
      const rate = rows / (result.wallMs / 1000);
      ctx.results.add("produce.rate", rows, run, rate);
      ctx.results.add("produce.own", rows, run, line.eventsPerSec);
      ctx.results.add("produce.rss", rows, run, result.peakRssBytes);
      recordUsage(ctx, "produce", "producer", rows, run, result, load);
      ctx.log(`  ${what}: ${Math.round(rate).toLocaleString("en-US")} events/s, ${formatMiB(result.peakRssBytes)} (load ${load.toFixed(2)})`);
      if (kept) await ctx.topics.delete(kept);
      kept = topic;
    } catch (error) {
      ctx.results.fail(what, error);
      ctx.log(`  ${what}: FAILED: ${(error as Error).message}`);
      await ctx.topics.delete(topic).catch(() => undefined);
    }
  }
  return kept;
}

/**
 * The consumer benchmark for one size: `runs` runs over the pre-filled `source` topic, each
 * under a fresh group into a fresh warehouse folder. Returns the last successful run's landing
 * (kept for dbt); the other folders are removed as soon as they are superseded.
 */
export async function benchConsumer(ctx: BenchContext, rows: number, source: string): Promise<Landing | null> {
  let kept: Landing | null = null;
  for (let run = 1; run <= ctx.plan.runs; run++) {
    const group = `${ctx.runId}-${rows}-c${run}`;
    const warehouseDir = ctx.workspace.fresh(`warehouse-${rows}-c${run}`);
    const what = `consume ${rowsLabel(rows)} run ${run}/${ctx.plan.runs}`;
    const load = load1();
    try {
      const { result, line } = await consumeOnce(ctx, source, group, warehouseDir, rows, `consume ${rowsLabel(rows)} rows`);
      const rate = rows / (result.wallMs / 1000);
      ctx.results.add("consume.rate", rows, run, rate);
      ctx.results.add("consume.own", rows, run, line.eventsPerSec);
      ctx.results.add("consume.rss", rows, run, result.peakRssBytes);
      recordUsage(ctx, "consume", "consumer", rows, run, result, load);
      ctx.log(`  ${what}: ${Math.round(rate).toLocaleString("en-US")} events/s, ${formatMiB(result.peakRssBytes)} (load ${load.toFixed(2)})`);
      if (kept) ctx.workspace.remove(kept.warehouseDir);
      kept = { warehouseDir, group };
    } catch (error) {
      ctx.results.fail(what, error);
      ctx.log(`  ${what}: FAILED: ${(error as Error).message}`);
      ctx.workspace.remove(warehouseDir);
    }
  }
  return kept;
}

/** An untimed producer run filling a fresh topic, when the producer benchmark was skipped. */
export async function fillTopic(ctx: BenchContext, rows: number, csv: string): Promise<string> {
  const topic = `${ctx.runId}-${rows}-fill`;
  ctx.log(`  filling ${topic} with ${rowsLabel(rows)} events (untimed)`);
  await ctx.topics.create(topic, ctx.plan.partitions);
  await produceOnce(ctx, csv, topic, rows, `fill a topic (${rowsLabel(rows)} rows, untimed)`);
  return topic;
}

/** An untimed consumer run building a landing for dbt, when the consumer benchmark was skipped. */
export async function fillLanding(ctx: BenchContext, rows: number, source: string): Promise<Landing> {
  const group = `${ctx.runId}-${rows}-fill`;
  const warehouseDir = ctx.workspace.fresh(`warehouse-${rows}-fill`);
  ctx.log(`  landing ${rowsLabel(rows)} events for dbt (untimed)`);
  await consumeOnce(ctx, source, group, warehouseDir, rows, `fill a landing (${rowsLabel(rows)} rows, untimed)`);
  return { warehouseDir, group };
}


