import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startTestRegistry, type TestRegistry } from "./harness.ts";

let registry: TestRegistry;
const logged: string[] = [];
beforeAll(() => {
  registry = startTestRegistry({ log: (line) => logged.push(line) });
});
afterAll(() => registry.dispose());

async function stillServing(): Promise<void> {
  const reply = await registry.call("GET", "/");
  expect([reply.status, reply.body]).toEqual([200, {}]);
}

describe("request bodies", () => {
  it("accepts Confluent's, JSON and octet-stream content types, and none", async () => {
    const schema = { schema: '"string"' };
    for (const type of ["application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json", "application/json; charset=utf-8", "application/octet-stream"]) {
      const reply = await registry.call("POST", "/subjects/types/versions", schema, { "Content-Type": type });
      expect([type, reply.status, reply.body.id]).toEqual([type, 200, 1]);
    }
    const bare = await fetch(`${registry.url}/subjects/types/versions`, { method: "POST", body: new Blob([JSON.stringify(schema)]) });
    expect(bare.status).toBe(200);
  });

  it("refuses other content types with 415", async () => {
    const reply = await registry.call("POST", "/subjects/types/versions", { schema: '"string"' }, { "Content-Type": "text/plain" });
    expect([reply.status, reply.body.error_code]).toEqual([415, 415]);
  });

  it("answers 400 for malformed JSON, non-objects and empty bodies", async () => {
    for (const body of ["{", "[1,2]", "null", "42", '"schema"', "", "\u0000\u0001garbage", "{\"schema\": \"x\"} trailing"]) {
      const reply = await registry.call("POST", "/subjects/s/versions", body);
      expect([JSON.stringify(body), reply.status, reply.body.error_code]).toEqual([JSON.stringify(body), 400, 400]);
    }
    await stillServing();
  });

  it("answers 42201 for schemas of the wrong JSON type or with hostile content", async () => {
    const nested = "[".repeat(20_000) + '"string"' + "]".repeat(20_000);
    const hostile = [
      { schema: { type: "string" } },
      { schema: ["string"] },
      { schema: null },
      { schema: '{"type":"record","name":"__proto__","fields":[{"name":"constructor","type":"toString"}]}' },
      { schema: '{"__proto__":{"polluted":true},"type":"record","name":"P","fields":[]}' },
      { schema: nested },
      { schema: '{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"nope"}]}' },
      { schema: '{"type":"enum","name":"E","symbols":["A","A"]}' },
      { schema: '{"type":"fixed","name":"F","size":-1}' },
    ];
    for (const [i, body] of hostile.entries()) {
      const reply = await registry.call("POST", `/subjects/hostile-${i}/versions`, body);
      expect(reply.status).toBeLessThan(500);
      if (reply.status !== 200) expect(reply.body.error_code).toBe(42201);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await stillServing();
  });

  it("refuses bodies over 16 MiB without falling over", async () => {
    const huge = JSON.stringify({ schema: `"${"x".repeat(17 * 1024 * 1024)}"` });
    const response = await fetch(`${registry.url}/subjects/huge/versions`, { method: "POST", body: huge, headers: { "Content-Type": "application/json" } }).catch(() => undefined);
    expect(response?.status ?? 413).toBe(413);
    await stillServing();
  });

  it("gives one id to many concurrent registrations of one schema", async () => {
    const schema = JSON.stringify({ type: "record", name: "Concurrent", fields: [{ name: "n", type: "int" }] });
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) => registry.call("POST", `/subjects/${i % 4 === 0 ? "c0" : "c1"}/versions`, { schema })),
    );
    expect(new Set(replies.map((reply) => reply.body.id)).size).toBe(1);
    expect(new Set(replies.map((reply) => reply.body.version))).toEqual(new Set([1]));
  });
});

describe("paths", () => {
  it("keeps an encoded '/' inside a subject name", async () => {
    const reply = await registry.call("POST", "/subjects/team%2Forders/versions", { schema: '"long"' });
    expect(reply.status).toBe(200);
    expect((await registry.call("GET", "/subjects")).body).toContain("team/orders");
    expect((await registry.call("GET", "/subjects/team%2Forders/versions/1")).body.subject).toBe("team/orders");
  });

  it("answers 404 for malformed escapes, empty segments and unknown paths", async () => {
    for (const path of ["/subjects/%E0%A4%A/versions", "/subjects//versions", "/schemas/ids/", "/%", "/subjects/a/versions/1/schema/extra"]) {
      const reply = await registry.call("GET", path);
      expect([path, reply.status, reply.body?.error_code]).toEqual([path, 404, 404]);
    }
  });

  it("survives very long paths and subjects", async () => {
    const long = "s".repeat(60_000);
    const reply = await registry.call("GET", `/subjects/${long}/versions`).catch(() => undefined);
    if (reply) expect(reply.status).toBeLessThan(500);
    const unicode = await registry.call("POST", `/subjects/${encodeURIComponent("événements-🛒")}/versions`, { schema: '"bytes"' });
    expect(unicode.status).toBe(200);
    await stillServing();
  });

  it("logged no internal error for any of this", () => {
    expect(logged.filter((line) => line.includes("internal error"))).toEqual([]);
  });
});
