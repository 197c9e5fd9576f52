import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Admin } from "../../lib/kafka/admin.ts";
import { paths } from "../../lib/paths.ts";
import { startRegistry } from "../../lib/registry/server.ts";
import { uniqueName } from "../kafka/helpers.ts";
import { runScript, stackEnv } from "../support/scripts.ts";
import { testStack, type TestStack } from "../support/stack.ts";

const fixture = (name: string) => join(paths.root, "test", "fixtures", "csv", name);
let stack: TestStack;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  stack = await testStack();
  dir = mkdtempSync(join(tmpdir(), "produce-"));
  env = stackEnv(stack, join(dir, "warehouse"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether the topic exists on the test broker. */
function topicExists(topic: string): boolean {
  const admin = new Admin({ config: { "bootstrap.servers": stack.bootstrap } });
  try {
    const found = admin.metadata({ topic }).topics[0];
    return found !== undefined && found.error === 0;
  } finally {
    admin.close();
  }
}

describe("produce", () => {
  it("rejects every bad row with its line and reason, delivers every good one, and the counts add up", async () => {
    const csv = join(dir, "malformed.csv");
    copyFileSync(fixture("malformed.csv"), csv);
    const result = await runScript("produce", [csv, "-t", uniqueName("malformed"), "-q"], env);
    expect(result.code).toBe(0);
    const m = /([\d,]+) read, ([\d,]+) delivered, ([\d,]+) rejected, ([\d,]+) failed/.exec(result.stderr)!;
    const [read, delivered, rejected, failed] = m.slice(1).map((n) => Number(n.replaceAll(",", "")));
    expect(delivered! + rejected! + failed!).toBe(read!);
    expect(failed).toBe(0);
    const rejects = readFileSync(`${csv}.rejects.csv`, "utf8").trim().split("\n");
    expect(rejects[0]).toBe("line,field,reason,raw");
    expect(rejects.length - 1).toBe(rejected!);
    const reasons = rejects.slice(1).join("\n");
    expect(reasons).toMatch(/^3,event_time,/m); // 2020-13-24: no 13th month
    expect(reasons).toMatch(/^5,price,.*abc/m);
    expect(reasons).toMatch(/^6,price,.*-3/m);
    expect(reasons).toMatch(/^7,.*column/m); // one column short
    expect(reasons).toMatch(/^8,.*column/m); // one column too many
    expect(reasons).toMatch(/^9,event_type,.*click/m);
    expect(reasons).toMatch(/quote/); // the unbalanced quote on the last line
    expect(result.stderr).toContain("rejected rows and reasons:");
  });

  it("stops before producing anything when the header is wrong", async () => {
    const topic = uniqueName("wrongheader");
    const result = await runScript("produce", [fixture("wrong-header.csv"), "-t", topic, "-q"], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("wrong-header.csv");
    expect(result.stderr).toMatch(/category_id/);
    expect(topicExists(topic)).toBe(false); // not even created
  });

  it("treats an empty file as a wrong header and a header-only file as zero events", async () => {
    const empty = await runScript("produce", [fixture("empty.csv"), "-t", uniqueName("empty"), "-q"], env);
    expect(empty.code).toBe(3);
    expect(empty.stderr).toMatch(/empty\.csv/);
    const headerOnly = await runScript("produce", [fixture("header-only.csv"), "-t", uniqueName("headeronly"), "-q"], env);
    expect(headerOnly.code).toBe(0);
    expect(headerOnly.stderr).toContain("0 read, 0 delivered, 0 rejected, 0 failed");
  });

  it("fails with --max-rejects once too many rows are bad", async () => {
    const result = await runScript("produce", [fixture("malformed.csv"), "-t", uniqueName("maxrej"), "--max-rejects", "2", "--rejects", join(dir, "r.csv"), "-q"], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("more than 2 rejected rows");
  });

  it("reports an unreachable broker within the timeout, with nothing counted as delivered", async () => {
    const started = performance.now();
    const result = await runScript("produce", [fixture("valid.csv"), "--connect-timeout", "2", "-q"], { ...env, KAFKA_BOOTSTRAP_SERVERS: "127.0.0.1:1", LIBRDKAFKA_LOG: "0" });
    expect(result.code).toBe(1);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result.stderr).toContain("cannot reach Kafka at 127.0.0.1:1");
    expect(result.stderr).not.toMatch(/[1-9][\d,]* delivered/);
  });

  it("uses a Confluent Cloud style client.properties: SASL/PLAIN to Kafka and basic auth to the registry", async () => {
    const registry = startRegistry({ port: 0, host: "127.0.0.1", dbPath: join(dir, "auth-registry.sqlite"), basicAuth: "sr-key:sr-secret" });
    try {
      const properties = (password: string, srSecret: string) =>
        [
          "# as downloaded from Confluent Cloud, pointed at the local stack's SASL listener",
          `bootstrap.servers=${stack.saslBootstrap}`,
          "security.protocol=SASL_PLAINTEXT",
          "sasl.mechanisms=PLAIN",
          "sasl.username=local",
          `sasl.password=${password}`,
          `schema.registry.url=${registry.url}`,
          "basic.auth.credentials.source=USER_INFO",
          `basic.auth.user.info=sr-key:${srSecret}`,
        ].join("\n");
      const good = join(dir, "client.properties");
      writeFileSync(good, properties("local-secret", "sr-secret"));
      const cloudEnv = { WAREHOUSE_DIR: env.WAREHOUSE_DIR!, KAFKA_CONFIG: good };
      const ok = await runScript("produce", [fixture("valid.csv"), "-t", uniqueName("sasl"), "-q"], cloudEnv);
      expect(ok.stderr).toMatch(/[1-9]\d* delivered, 0 rejected, 0 failed/);
      expect(ok.code).toBe(0);

      writeFileSync(good, properties("local-secret", "wrong"));
      const badRegistry = await runScript("produce", [fixture("valid.csv"), "-t", uniqueName("sasl"), "-q"], cloudEnv);
      expect(badRegistry.code).toBe(1);
      expect(badRegistry.stderr).toMatch(/401|[Uu]nauthorized/);
      expect(badRegistry.stderr).not.toContain("wrong"); // secrets never printed

      writeFileSync(good, properties("not-the-password", "sr-secret"));
      const badKafka = await runScript("produce", [fixture("valid.csv"), "-t", uniqueName("sasl"), "--connect-timeout", "5", "-q"], cloudEnv);
      expect(badKafka.code).toBe(1);
      expect(badKafka.stderr).toMatch(/[Aa]uthenticat/);
      expect(badKafka.stderr).not.toContain("not-the-password");
    } finally {
      await registry.stop();
    }
  });

  it("encodes without Kafka in --dry-run", async () => {
    const result = await runScript("produce", [fixture("valid.csv"), "--dry-run", "-q"], { KAFKA_BOOTSTRAP_SERVERS: "127.0.0.1:1" });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("(dry run)");
    expect(existsSync(`${fixture("valid.csv")}.rejects.csv`)).toBe(false);
  });

  it("paces a live stream with --rate", async () => {
    const csv = join(dir, "rate.csv");
    expect((await runScript("generate", ["--rows", "2000", "--out", csv, "--quiet"])).code).toBe(0);
    const started = performance.now();
    const result = await runScript("produce", [csv, "-t", uniqueName("rate"), "--rate", "4000", "-q"], env);
    const seconds = (performance.now() - started) / 1000;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("2,000 delivered");
    expect(seconds).toBeGreaterThan(0.45); // 2,000 events at 4,000/s, plus start-up
  });
});
