import { formatSeconds } from "../format.ts";
import { startCommand, type CommandResult, type StartedCommand } from "../run.ts";
import { NoDataError } from "../../warehouse/warehouse.ts";
import { openDuckDbWarehouse, type DuckDbWarehouse } from "../../warehouse/duckdb.ts";
import { IncompleteRunError, load1, recordUsage, rowsLabel, timeoutFor, type BenchContext } from "./context.ts";
import { parseConsumeLine, parseProduceLine } from "./summary-lines.ts";

/** How often the landing is counted; bounds the clock's resolution. */
export const POLL_MS = 100;
const COUNT_SQL = "select count(*) from kafka_ecom_events";

/** The end-to-end run did not reach its goal in time (consumer stuck, or rows missing). */
export class EndToEndTimeoutError extends Error {
  constructor(
    readonly waited: string,
    readonly seconds: number,
    readonly detail: string,
  ) {
    super(`end-to-end: gave up waiting for ${waited} after ${seconds} s (${detail})`);
    this.name = "EndToEndTimeoutError";
  }
}

/** Rows visible in the raw table right now (0 before the first file lands). */
async function landedRows(warehouse: DuckDbWarehouse): Promise<number> {
  try {
    const result = await warehouse.query(COUNT_SQL);
    return Number(result.rows[0]?.[0] ?? 0);
  } catch (error) {
    if (error instanceof NoDataError) return 0;
    throw error;
  }
}

/** Waits for `ready()`; fails when `child` exits first or `timeoutMs` passes. */
async function waitFor(ready: () => boolean | Promise<boolean>, child: StartedCommand, what: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await ready())) {
    if (child.exited) {
      await child.result; // rejects with the child's output when it failed
      throw new EndToEndTimeoutError(what, 0, "the consumer exited early");
    }
    if (performance.now() > deadline) throw new EndToEndTimeoutError(what, timeoutMs / 1000, "timeout");
    await Bun.sleep(POLL_MS);
  }
}

/**
 * One end-to-end run: a consumer in follow mode (no --until-caught-up) on a fresh topic, group
 * and warehouse; once it is up (it has created its dead-letter topic), the producer starts and
 * the clock with it; the clock stops when `select count(*) from kafka_ecom_events` — through the
 * warehouse query layer `just sql` uses — returns all `rows`. Then SIGTERM must make the consumer
 * flush, commit and exit 0. Returns the seconds on the clock.
 */
async function endToEndOnce(ctx: BenchContext, rows: number, csv: string, run: number): Promise<number> {
  const topic = `${ctx.runId}-e2e${run}`;
  const dlq = `${topic}-dlq`;
  const warehouseDir = ctx.workspace.fresh(`e2e-r${run}`);
  await ctx.topics.create(topic, ctx.plan.partitions);
  ctx.topics.adopt(dlq);
  const consumeCmd = ctx.commands.script("consume", ["-t", topic, "--dlq-topic", dlq, "-g", topic, "-q"], { WAREHOUSE_DIR: warehouseDir }, "end-to-end: consumer (follow mode, started first)");
  const produceCmd = ctx.commands.script("produce", [csv, "-t", topic, "-q"], {}, "end-to-end: producer (the clock starts here)");
  ctx.commands.note(
    `end-to-end: the clock stops when the count reaches the rows (polled every ${POLL_MS} ms in-process through lib/warehouse/duckdb.ts, the layer just sql uses)`,
    ctx.commands.script("sql", ["-f", "json", COUNT_SQL], { WAREHOUSE_DIR: warehouseDir }).display,
  );
  const load = load1();
  const consumer = startCommand(consumeCmd.argv, { env: consumeCmd.env, timeoutMs: timeoutFor(rows, 600, 1e-4) });
  let producer: StartedCommand | null = null;
  let warehouse: DuckDbWarehouse | null = null;
  try {
    await waitFor(() => ctx.topics.ready(dlq), consumer, "the consumer to start", 60_000);
    warehouse = await openDuckDbWarehouse({ warehouseDir, attachDbt: false });
    const open = warehouse;
    const started = performance.now();
    producer = startCommand(produceCmd.argv, { env: produceCmd.env, timeoutMs: timeoutFor(rows, 60, 1e-5) });
    let landed = 0;
    const allLanded = async () => {
      if (producer?.exited) await producer.result; // a failed producer ends the wait with its output
      return (landed = await landedRows(open)) >= rows;
    };
    await waitFor(allLanded, consumer, `${rowsLabel(rows)} rows in kafka_ecom_events`, timeoutFor(rows, 60, 1e-4)).catch((error) => {
      throw error instanceof EndToEndTimeoutError ? new EndToEndTimeoutError(error.waited, error.seconds, `${landed.toLocaleString("en-US")} landed`) : error;
    });
    const seconds = (performance.now() - started) / 1000;
    const produced: CommandResult = await producer.result;
    const produceLine = parseProduceLine(produced.stderr);
    if (produceLine.delivered !== rows) throw new IncompleteRunError("end-to-end producer", rows, produceLine.delivered);

    consumer.kill("SIGTERM");
    const consumed = await consumer.result; // rejects unless the consumer exits 0
    const consumeLine = parseConsumeLine(consumed.stderr);
    const finalCount = await landedRows(open);
    if (finalCount !== rows) throw new IncompleteRunError("end-to-end landing (count after SIGTERM)", rows, finalCount);
    if (consumeLine.stoppedBy !== "signal") throw new Error(`end-to-end consumer stopped by "${consumeLine.stoppedBy}", expected "signal" (SIGTERM)`);

    ctx.results.add("e2e.seconds", rows, run, seconds);
    ctx.results.add("e2e.afterProduce", rows, run, Math.max(0, seconds - produced.wallMs / 1000));
    recordUsage(ctx, "e2e", "producer", rows, run, produced, load);
    recordUsage(ctx, "e2e", "consumer (until SIGTERM)", rows, run, consumed, load);
    return seconds;
  } finally {
    await warehouse?.close();
    for (const child of [producer, consumer]) {
      if (child && !child.exited) child.kill("SIGKILL");
      await child?.result.catch(() => undefined);
    }
    await ctx.topics.delete(topic, dlq).catch((error) => ctx.log(`  could not delete ${topic}: ${(error as Error).message}`));
    ctx.workspace.remove(warehouseDir);
  }
}

/** The end-to-end benchmark: `runs` runs on the `rows`-row CSV. */
export async function benchEndToEnd(ctx: BenchContext, rows: number, csv: string): Promise<void> {
  for (let run = 1; run <= ctx.plan.runs; run++) {
    const what = `end-to-end ${rowsLabel(rows)} run ${run}/${ctx.plan.runs}`;
    try {
      const seconds = await endToEndOnce(ctx, rows, csv, run);
      ctx.log(`  ${what}: ${formatSeconds(seconds * 1000)} from producer start to all rows queryable`);
    } catch (error) {
      ctx.results.fail(what, error);
      ctx.log(`  ${what}: FAILED: ${(error as Error).message}`);
    }
  }
}
