import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { paths } from "../../lib/paths.ts";
import { freshTopic } from "../kafka/helpers.ts";
import { runScript, stackEnv } from "../support/scripts.ts";
import { testStack, type TestStack } from "../support/stack.ts";

let stack: TestStack;
let dir: string;
// Killed in afterAll too, so a failing assertion never leaves a consumer running.
let consumer: ReturnType<typeof Bun.spawn> | undefined;
beforeAll(async () => {
  stack = await testStack();
  dir = mkdtempSync(join(tmpdir(), "dbt-live-"));
});
afterAll(() => {
  consumer?.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

const landed = (warehouse: string) => {
  try {
    return readdirSync(join(warehouse, "raw", "kafka_ecom_events"), { recursive: true }).filter((f) => String(f).endsWith(".parquet")).length;
  } catch {
    return 0;
  }
};

describe("dbt and the consumer at the same time", () => {
  it("builds while the consumer keeps landing files, then catches up incrementally", async () => {
    const env = stackEnv(stack, join(dir, "warehouse"));
    // The topic exists before the consumer starts (it fails fast on a missing topic).
    const { topic } = await freshTopic("live");
    const csv = join(dir, "events.csv");
    expect((await runScript("generate", ["--rows", "100000", "--out", csv, "--quiet"])).code).toBe(0);

    // A consumer that follows the topic, flushing small batches often.
    consumer = Bun.spawn(
      [process.execPath, join(paths.root, "scripts", "consume.ts"), "-t", topic, "--dlq-topic", `${topic}_dlq`, "-g", `${topic}-g`, "--flush-rows", "10000", "--flush-seconds", "1", "-q"],
      { env: { ...process.env, ...env }, stdout: "ignore", stderr: "pipe" },
    );
    // Paced, so files keep landing during the whole dbt build.
    const producer = runScript("produce", [csv, "-t", topic, "--rate", "4000", "-q"], env);
    const deadline = performance.now() + 60_000;
    while (landed(env.WAREHOUSE_DIR!) < 3 && performance.now() < deadline) await Bun.sleep(100);
    expect(landed(env.WAREHOUSE_DIR!)).toBeGreaterThanOrEqual(3);

    const filesBeforeBuild = landed(env.WAREHOUSE_DIR!);
    const during = await runScript("dbt", ["build"], env);
    if (during.code !== 0) console.error(during.stdout.slice(-3000));
    expect(during.code).toBe(0);
    expect(landed(env.WAREHOUSE_DIR!)).toBeGreaterThan(filesBeforeBuild); // files landed while dbt ran

    expect((await producer).code).toBe(0);
    // Let the consumer land the rest, then stop it the way a person would.
    const sqlCount = async () => {
      const result = await runScript("sql", ["-f", "json", "select count(distinct (_kafka_partition, _kafka_offset)) as n from kafka_ecom_events"], env);
      return result.code === 0 ? Number(JSON.parse(result.stdout)[0].n) : 0;
    };
    while ((await sqlCount()) < 100_000 && performance.now() < deadline + 60_000) await Bun.sleep(500);
    consumer.kill("SIGTERM");
    expect(await consumer.exited).toBe(0);

    const after = await runScript("dbt", ["build"], env);
    expect(after.code).toBe(0);
    const kpis = await runScript("sql", ["-f", "json", "select sum(event_count) as events from fct_daily_kpis"], env);
    expect(Number(JSON.parse(kpis.stdout)[0].events)).toBe(100_000);
  });
});
