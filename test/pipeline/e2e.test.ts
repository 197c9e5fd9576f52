import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Consumer } from "../../lib/kafka/consumer.ts";
import { paths } from "../../lib/paths.ts";
import { uniqueName } from "../kafka/helpers.ts";
import { runScript, stackEnv } from "../support/scripts.ts";
import { testStack, type TestStack } from "../support/stack.ts";

const ROWS = 1_000_000;
let stack: TestStack;
let dir: string;
let env: Record<string, string>;
const topic = uniqueName("e2e");
const csv = () => join(dir, "events.csv");

/** event_type → rows, straight from the CSV text (the reference the warehouse must match). */
function csvCounts(file: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const lines = readFileSync(file, "utf8").split("\n");
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const type = line.slice(line.indexOf(",") + 1, line.indexOf(",", line.indexOf(",") + 1));
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

beforeAll(async () => {
  stack = await testStack();
  dir = mkdtempSync(join(tmpdir(), "e2e-"));
  env = stackEnv(stack, join(dir, "warehouse"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("CSV → Kafka → warehouse, through the command-line scripts", () => {
  it("generates and produces 1,000,000 events, every one delivered", async () => {
    const generated = await runScript("generate", ["--rows", String(ROWS), "--seed", "7", "--out", csv(), "--quiet"]);
    expect(generated.code).toBe(0);
    const produced = await runScript("produce", [csv(), "-t", topic, "--quiet"], env);
    expect(produced.stderr).toContain(`${ROWS.toLocaleString("en-US")} read, ${ROWS.toLocaleString("en-US")} delivered, 0 rejected, 0 failed`);
    expect(produced.code).toBe(0);
  });

  it("reads back the same events with Confluent's Python client and AvroDeserializer", async () => {
    const proc = Bun.spawn([paths.python, join(paths.root, "test", "support", "read_topic.py"), stack.bootstrap, stack.registryUrl, topic, String(ROWS), "997"], { stdout: "pipe", stderr: "pipe" });
    const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    if (code !== 0) console.error(err);
    expect(code).toBe(0);
    const result = JSON.parse(out) as { count: number; samples: Record<string, unknown>[]; key_mismatches: number; keys_on_several_partitions: number };
    expect(result.count).toBe(ROWS);
    expect(result.key_mismatches).toBe(0);
    expect(result.keys_on_several_partitions).toBe(0);
    // Each sampled event is a row of the CSV, field for field (NULL ↔ empty).
    const rows = new Set(readFileSync(csv(), "utf8").split("\n").slice(1));
    for (const e of result.samples.slice(0, 300)) {
      const time = String(e.event_time).replace("T", " ").replace("+00:00", " UTC");
      const price = e.price === null ? "" : Number(e.price).toFixed(2);
      const fields = [time, e.event_type, e.product_id, e.category_id, e.category_code, e.brand, price, e.user_id, e.user_session];
      expect(rows.has(fields.map((f) => (f === null ? "" : String(f))).join(","))).toBe(true);
    }
  });

  it("decodes the same bytes with @kafkajs/confluent-schema-registry", async () => {
    const registry = new SchemaRegistry({ host: stack.registryUrl });
    const consumer = new Consumer({ config: { "bootstrap.servers": stack.bootstrap, "group.id": uniqueName("kafkajs") } });
    consumer.subscribe([topic]);
    let batch = await consumer.consumeBatch(500, 5_000);
    while (batch.length === 0) batch = await consumer.consumeBatch(500, 5_000);
    for (const m of batch) {
      const event = await registry.decode(Buffer.from(m.value!));
      expect(event.user_id).toBe(new TextDecoder().decode(m.key!));
      expect(typeof event.event_time).toBe("number"); // a plain long to a reader without the logical type
    }
    await consumer.close();
  });

  it("lands every event in the local warehouse, counts by type equal to the CSV's", async () => {
    const consumed = await runScript("consume", ["-t", topic, "--dlq-topic", `${topic}_dlq`, "-g", uniqueName("sink"), "--until-caught-up", "--quiet"], env);
    expect(consumed.code).toBe(0);
    expect(consumed.stderr).toContain(`${ROWS.toLocaleString("en-US")} landed in local, 0 dead letters`);
    const query = await runScript("sql", ["--format", "json", "select event_type, count(*) as n, count(distinct (_kafka_partition, _kafka_offset)) as distinct_n from kafka_ecom_events group by 1 order by 1"], env);
    expect(query.code).toBe(0);
    const counts = Object.fromEntries((JSON.parse(query.stdout) as { event_type: string; n: number }[]).map((r) => [r.event_type, Number(r.n)]));
    expect(counts).toEqual(csvCounts(csv()));
  });
});
