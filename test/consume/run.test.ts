import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ecomEventType } from "../../lib/events/avro/schema.ts";
import { Consumer } from "../../lib/kafka/consumer.ts";
import { Producer } from "../../lib/kafka/producer.ts";
import { paths } from "../../lib/paths.ts";
import { uniqueName } from "../kafka/helpers.ts";
import { runScript, stackEnv } from "../support/scripts.ts";
import { testStack, type TestStack } from "../support/stack.ts";

let stack: TestStack;
let dir: string;
beforeAll(async () => {
  stack = await testStack();
  dir = mkdtempSync(join(tmpdir(), "consume-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const landedFiles = (warehouse: string) => {
  const root = join(warehouse, "raw", "kafka_ecom_events");
  try {
    return readdirSync(root, { recursive: true }).filter((f) => String(f).endsWith(".parquet")).length;
  } catch {
    return 0;
  }
};

async function sqlRows(env: Record<string, string>, query: string): Promise<Record<string, unknown>[]> {
  const result = await runScript("sql", ["--format", "json", query], env);
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

describe("consume", () => {
  it("loses nothing when killed with SIGKILL mid-run and restarted (duplicates only, removed by coordinates)", async () => {
    const env = stackEnv(stack, join(dir, "kill9"));
    const topic = uniqueName("kill9");
    const csv = join(dir, "kill9.csv");
    expect((await runScript("generate", ["--rows", "300000", "--out", csv, "--quiet"])).code).toBe(0);
    expect((await runScript("produce", [csv, "-t", topic, "-q"], env)).code).toBe(0);

    const args = [join(paths.root, "scripts", "consume.ts"), "-t", topic, "--dlq-topic", `${topic}_dlq`, "-g", `${topic}-g`, "--flush-rows", "20000", "-q",
      // The killed member stays in the group until its session times out: keep that short.
      "-X", "session.timeout.ms=6000"];
    const first = Bun.spawn([process.execPath, ...args], { env: { ...process.env, ...env }, stdout: "ignore", stderr: "pipe" });
    const deadline = performance.now() + 60_000;
    while (landedFiles(env.WAREHOUSE_DIR!) < 10 && performance.now() < deadline) await Bun.sleep(20);
    first.kill("SIGKILL");
    await first.exited;
    const filesAtKill = landedFiles(env.WAREHOUSE_DIR!);
    expect(filesAtKill).toBeGreaterThanOrEqual(10);

    const second = await runScript("consume", [...args.slice(1), "--until-caught-up"], env);
    expect(second.code).toBe(0);
    const [stats] = await sqlRows(env, "select count(*) as total, count(distinct (_kafka_partition, _kafka_offset)) as distinct_n from kafka_ecom_events");
    expect(Number(stats!.distinct_n)).toBe(300_000);
    expect(Number(stats!.total)).toBeGreaterThanOrEqual(300_000);
    // Per partition the offsets are exactly 0..n-1: nothing in between went missing.
    const partitions = await sqlRows(env, "select _kafka_partition as p, min(_kafka_offset) as lo, max(_kafka_offset) as hi, count(distinct _kafka_offset) as n from kafka_ecom_events group by 1");
    for (const p of partitions) {
      expect(Number(p.lo)).toBe(0);
      expect(Number(p.n)).toBe(Number(p.hi) + 1);
    }
  });

  it("sends poison messages to the dead-letter topic with their reasons and lands the good ones", async () => {
    const env = stackEnv(stack, join(dir, "poison"));
    const topic = uniqueName("poison");
    const dlqTopic = `${topic}_dlq`;
    const valid = join(paths.root, "test", "fixtures", "csv", "valid.csv");
    const produced = await runScript("produce", [valid, "-t", topic, "-q"], env);
    expect(produced.code).toBe(0);
    const good = Number(/([\d,]+) delivered/.exec(produced.stderr)![1]!.replaceAll(",", ""));
    expect(good).toBeGreaterThan(0);

    const schemaId = 1; // the test registry's first schema: the one produce just registered
    const frame = (body: Uint8Array, id = schemaId) => Buffer.concat([Buffer.from([0, id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255]), body]);
    const event = { event_time: 1600948626000000, event_type: "view", product_id: "1", category_id: null, category_code: null, brand: null, price: 1, user_id: "u", user_session: null };
    const poison = [
      { key: "k1", value: Buffer.from('{"json": "not avro"}') }, // wrong magic byte
      { key: "k2", value: Buffer.from([0, 1]) }, // too short
      { key: "k3", value: frame(ecomEventType().toBuffer(event), 999_999) }, // unknown schema id
      { key: "k4", value: frame(Buffer.from([0xff, 0xff, 0xff])) }, // undecodable body
      { key: "k5", value: frame(ecomEventType().toBuffer({ ...event, event_type: "  " })) }, // invalid event
    ];
    const producer = new Producer({ config: { "bootstrap.servers": stack.bootstrap } });
    await producer.produce(topic, poison);
    expect(await producer.flush()).toBe(0);
    await producer.close();

    const consumed = await runScript("consume", ["-t", topic, "--dlq-topic", dlqTopic, "-g", uniqueName("g"), "--until-caught-up", "-q"], env);
    expect(consumed.code).toBe(0);
    expect(consumed.stderr).toContain(`${good} landed in local, 5 dead letters`);
    const [landed] = await sqlRows(env, "select count(*) as n from kafka_ecom_events");
    expect(Number(landed!.n)).toBe(good);

    const reader = new Consumer({ config: { "bootstrap.servers": stack.bootstrap, "group.id": uniqueName("dlq") }, headers: true });
    reader.subscribe([dlqTopic]);
    const letters = [];
    const deadline = performance.now() + 30_000;
    while (letters.length < 5 && performance.now() < deadline) letters.push(...(await reader.consumeBatch(10, 200)));
    await reader.close();
    const byKey = Object.fromEntries(letters.map((m) => [new TextDecoder().decode(m.key!), m]));
    expect(byKey.k1!.headers!["dlq.error.kind"]).toBe("wrong-magic-byte");
    expect(byKey.k2!.headers!["dlq.error.kind"]).toBe("too-short");
    expect(byKey.k3!.headers!["dlq.error.kind"]).toBe("unknown-schema-id");
    expect(byKey.k4!.headers!["dlq.error.kind"]).toBe("undecodable-avro");
    expect(byKey.k5!.headers!["dlq.error.kind"]).toBe("invalid-event");
    expect(byKey.k5!.headers!["dlq.error.reason"]).toBe("event_type is empty");
    expect(byKey.k1!.headers!["dlq.source.topic"]).toBe(topic);
    expect(Buffer.from(byKey.k1!.value!).toString()).toBe('{"json": "not avro"}');
    for (const m of letters) expect(m.headers!["dlq.source.offset"]).toMatch(/^\d+$/);
  });

  it("fails fast, naming the topic, when the topic does not exist", async () => {
    const env = stackEnv(stack, join(dir, "missing"));
    const result = await runScript("consume", ["-t", uniqueName("nope"), "--until-caught-up", "-q"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/topic "nope-.*" does not exist/);
  });
});
