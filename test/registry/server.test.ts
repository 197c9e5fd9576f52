import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { ECOM_SCHEMA, record, SR_JSON, startTestRegistry, type TestRegistry } from "./harness.ts";

let registry: TestRegistry;
beforeAll(() => {
  registry = startTestRegistry();
});
afterAll(() => registry.dispose());

const V1 = record("User", [{ name: "id", type: "string" }]);
const V2 = record("User", [
  { name: "id", type: "string" },
  { name: "email", type: ["null", "string"], default: null },
]);

describe("register", () => {
  it("assigns id 1 and version 1, and answers Confluent's content type", async () => {
    const reply = await registry.call("POST", "/subjects/ecom_events-value/versions", { schema: ECOM_SCHEMA });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe(SR_JSON);
    expect(reply.body).toMatchObject({ id: 1, version: 1 });
    expect(typeof reply.body.guid).toBe("string");
  });

  it("is idempotent on the parsed schema, not the text", async () => {
    const reformatted = JSON.stringify(JSON.parse(ECOM_SCHEMA), null, 4);
    for (const text of [ECOM_SCHEMA, reformatted]) {
      const reply = await registry.call("POST", "/subjects/ecom_events-value/versions", { schema: text, schemaType: "AVRO", references: [] });
      expect(reply.body).toMatchObject({ id: 1, version: 1 });
    }
    const versions = await registry.call("GET", "/subjects/ecom_events-value/versions");
    expect(versions.body).toEqual([1]);
  });

  it("reuses the global id for the same schema under another subject", async () => {
    const reply = await registry.call("POST", "/subjects/copy-value/versions", { schema: ECOM_SCHEMA });
    expect(reply.body).toMatchObject({ id: 1, version: 1 });
    const uses = await registry.call("GET", "/schemas/ids/1/versions");
    expect(uses.body).toEqual([
      { subject: "copy-value", version: 1 },
      { subject: "ecom_events-value", version: 1 },
    ]);
    expect((await registry.call("GET", "/schemas/ids/1/subjects")).body).toEqual(["copy-value", "ecom_events-value"]);
  });

  it("adds a version for a compatible change and returns an existing version for an old schema", async () => {
    expect((await registry.call("POST", "/subjects/users/versions", { schema: V1 })).body).toMatchObject({ id: 2, version: 1 });
    expect((await registry.call("POST", "/subjects/users/versions", { schema: V2 })).body).toMatchObject({ id: 3, version: 2 });
    expect((await registry.call("POST", "/subjects/users/versions", { schema: V1 })).body).toMatchObject({ id: 2, version: 1 });
  });

  it("refuses an incompatible schema with 409", async () => {
    const breaking = record("User", [{ name: "id", type: "int" }]);
    const reply = await registry.call("POST", "/subjects/users/versions", { schema: breaking });
    expect(reply.status).toBe(409);
    expect(reply.body.error_code).toBe(409);
    expect(reply.body.message).toContain('incompatible with an earlier schema for subject "users"');
  });

  it("refuses invalid schemas, other schema types and references with 42201", async () => {
    const bodies = [
      { schema: "{not json" },
      { schema: '{"type":"record","name":"R"}' },
      { schema: '{"type":"strin"}' },
      { schema: "" },
      { schema: 42 },
      {},
      { schema: '{"type":"string"}', schemaType: "PROTOBUF" },
      { schema: '{"type":"string"}', references: [{ name: "x", subject: "y", version: 1 }] },
    ];
    for (const body of bodies) {
      const reply = await registry.call("POST", "/subjects/bad/versions", body);
      expect(reply.status).toBe(422);
      expect(reply.body.error_code).toBe(42201);
    }
    const protobuf = await registry.call("POST", "/subjects/bad/versions", { schema: "syntax = 'proto3';", schemaType: "PROTOBUF" });
    expect(protobuf.body.message).toContain("AVRO schemas only");
  });

  it("refuses a subject with control characters with 42208", async () => {
    const reply = await registry.call("POST", "/subjects/a%01b/versions", { schema: '"string"' });
    expect(reply.status).toBe(422);
    expect(reply.body.error_code).toBe(42208);
  });
});

describe("reads", () => {
  it("serves GET / and the schema types", async () => {
    expect((await registry.call("GET", "/")).body).toEqual({});
    expect((await registry.call("GET", "/schemas/types")).body).toEqual(["AVRO"]);
    expect((await registry.call("GET", "/mode")).body).toEqual({ mode: "READWRITE" });
  });

  it("serves a schema by id, raw, and ignores ?subject=", async () => {
    const byId = await registry.call("GET", "/schemas/ids/2?subject=users&format=");
    expect(byId.status).toBe(200);
    expect(JSON.parse(byId.body.schema)).toEqual(JSON.parse(V1));
    expect(byId.body.schemaType).toBeUndefined();
    const raw = await registry.call("GET", "/schemas/ids/2/schema");
    expect(raw.body).toEqual(JSON.parse(V1));
    expect((await registry.call("GET", "/schemas/ids/2?fetchMaxId=true")).body.maxId).toBe(3);
    const byGuid = await registry.call("GET", `/schemas/guids/${byId.body.guid}`);
    expect(byGuid.body.schema).toBe(byId.body.schema);
  });

  it("serves versions by number, latest and -1", async () => {
    const latest = await registry.call("GET", "/subjects/users/versions/latest");
    expect(latest.body).toMatchObject({ subject: "users", version: 2, id: 3 });
    expect((await registry.call("GET", "/subjects/users/versions/-1")).body).toEqual(latest.body);
    expect((await registry.call("GET", "/subjects/users/versions/1")).body).toMatchObject({ version: 1, id: 2 });
    expect((await registry.call("GET", "/subjects/users/versions/2/schema")).body).toEqual(JSON.parse(V2));
    expect((await registry.call("GET", "/subjects/users/versions/1/referencedby")).body).toEqual([]);
    expect((await registry.call("GET", "/subjects")).body).toEqual(["copy-value", "ecom_events-value", "users"]);
    expect((await registry.call("GET", "/subjects?subjectPrefix=ecom")).body).toEqual(["ecom_events-value"]);
    expect((await registry.call("GET", "/schemas?latestOnly=true")).body.map((s: { subject: string }) => s.subject)).toEqual([
      "copy-value",
      "ecom_events-value",
      "users",
    ]);
  });

  it("looks a schema up under a subject", async () => {
    const found = await registry.call("POST", "/subjects/users", { schema: JSON.stringify(JSON.parse(V2), null, 2) });
    expect(found.body).toMatchObject({ subject: "users", version: 2, id: 3 });
    const unknownSubject = await registry.call("POST", "/subjects/nobody", { schema: V1 });
    expect([unknownSubject.status, unknownSubject.body.error_code]).toEqual([404, 40401]);
    const unknownSchema = await registry.call("POST", "/subjects/users", { schema: '"string"' });
    expect([unknownSchema.status, unknownSchema.body.error_code]).toEqual([404, 40403]);
  });

  it("answers Confluent's not-found and invalid-version codes", async () => {
    const cases: Array<[string, number, number]> = [
      ["/subjects/nobody/versions", 404, 40401],
      ["/subjects/nobody/versions/1", 404, 40401],
      ["/subjects/users/versions/9", 404, 40402],
      ["/subjects/users/versions/0", 422, 42202],
      ["/subjects/users/versions/abc", 422, 42202],
      ["/subjects/users/versions/99999999999", 422, 42202],
      ["/schemas/ids/999", 404, 40403],
      ["/schemas/ids/0", 404, 40403],
      ["/schemas/ids/abc", 404, 404],
      ["/schemas/guids/not-a-guid", 404, 40403],
      ["/no/such/endpoint", 404, 404],
    ];
    for (const [path, status, code] of cases) {
      const reply = await registry.call("GET", path);
      expect([path, reply.status, reply.body.error_code]).toEqual([path, status, code]);
      expect(typeof reply.body.message).toBe("string");
    }
    expect((await registry.call("PATCH", "/subjects")).status).toBe(405);
  });
});

describe("config", () => {
  it("has a global BACKWARD default and per-subject levels", async () => {
    expect((await registry.call("GET", "/config")).body).toEqual({ compatibilityLevel: "BACKWARD" });
    const missing = await registry.call("GET", "/config/users");
    expect([missing.status, missing.body.error_code]).toEqual([404, 40408]);
    expect((await registry.call("GET", "/config/users?defaultToGlobal=true")).body).toEqual({ compatibilityLevel: "BACKWARD" });
    expect((await registry.call("PUT", "/config/users", { compatibility: "full" })).body).toEqual({ compatibility: "FULL" });
    expect((await registry.call("GET", "/config/users")).body).toEqual({ compatibilityLevel: "FULL" });
    expect((await registry.call("DELETE", "/config/users")).body).toEqual({ compatibilityLevel: "FULL" });
    expect((await registry.call("DELETE", "/config/users")).body.error_code).toBe(40401);
  });

  it("refuses unknown levels with 42203", async () => {
    for (const body of [{ compatibility: "SIDEWAYS" }, { compatibility: 3 }, {}]) {
      const reply = await registry.call("PUT", "/config", body);
      expect([reply.status, reply.body.error_code]).toEqual([422, 42203]);
    }
    expect((await registry.call("PUT", "/config", { compatibility: "NONE" })).body).toEqual({ compatibility: "NONE" });
    expect((await registry.call("DELETE", "/config")).body).toEqual({ compatibilityLevel: "NONE" });
    expect((await registry.call("GET", "/config")).body).toEqual({ compatibilityLevel: "BACKWARD" });
  });

  it("accepts READWRITE as the only mode", async () => {
    expect((await registry.call("PUT", "/mode", { mode: "READWRITE" })).body).toEqual({ mode: "READWRITE" });
    expect((await registry.call("PUT", "/mode", { mode: "IMPORT" })).body.error_code).toBe(42204);
    expect((await registry.call("GET", "/mode/users")).body.error_code).toBe(40409);
    expect((await registry.call("GET", "/mode/users?defaultToGlobal=true")).body).toEqual({ mode: "READWRITE" });
  });
});

describe("delete", () => {
  it("soft-deletes, then permanently deletes a subject, like Confluent", async () => {
    await registry.call("POST", "/subjects/doomed/versions", { schema: V1 });
    const permanentFirst = await registry.call("DELETE", "/subjects/doomed?permanent=true");
    expect([permanentFirst.status, permanentFirst.body.error_code]).toEqual([404, 40405]);
    expect((await registry.call("DELETE", "/subjects/doomed")).body).toEqual([1]);
    expect((await registry.call("DELETE", "/subjects/doomed")).body.error_code).toBe(40404);
    expect((await registry.call("GET", "/subjects")).body).not.toContain("doomed");
    expect((await registry.call("GET", "/subjects?deleted=true")).body).toContain("doomed");
    expect((await registry.call("GET", "/subjects/doomed/versions")).body.error_code).toBe(40401);
    expect((await registry.call("GET", "/subjects/doomed/versions?deleted=true")).body).toEqual([1]);
    expect((await registry.call("GET", "/subjects/doomed/versions/1?deleted=true")).body).toMatchObject({ id: 2 });
    expect((await registry.call("POST", "/subjects/doomed?deleted=true", { schema: V1 })).body).toMatchObject({ version: 1 });
    expect((await registry.call("DELETE", "/subjects/doomed?permanent=true")).body).toEqual([1]);
    expect((await registry.call("GET", "/subjects?deleted=true")).body).not.toContain("doomed");
    expect((await registry.call("DELETE", "/subjects/doomed")).body.error_code).toBe(40401);
  });

  it("deletes single versions and keeps numbering after them", async () => {
    await registry.call("POST", "/subjects/versioned/versions", { schema: V1 });
    await registry.call("POST", "/subjects/versioned/versions", { schema: V2 });
    expect((await registry.call("DELETE", "/subjects/versioned/versions/2?permanent=true")).body.error_code).toBe(40407);
    expect((await registry.call("DELETE", "/subjects/versioned/versions/latest")).body).toBe(2);
    expect((await registry.call("DELETE", "/subjects/versioned/versions/2")).body.error_code).toBe(40406);
    expect((await registry.call("DELETE", "/subjects/versioned/versions/7")).body.error_code).toBe(40402);
    expect((await registry.call("GET", "/subjects/versioned/versions")).body).toEqual([1]);
    // Re-registering a soft-deleted schema makes a new version (and drops the deleted one).
    expect((await registry.call("POST", "/subjects/versioned/versions", { schema: V2 })).body).toMatchObject({ id: 3, version: 3 });
    expect((await registry.call("GET", "/subjects/versioned/versions?deleted=true")).body).toEqual([1, 3]);
    expect((await registry.call("DELETE", "/subjects/versioned/versions/1")).body).toBe(1);
    expect((await registry.call("DELETE", "/subjects/versioned/versions/1?permanent=true")).body).toBe(1);
    expect((await registry.call("GET", "/subjects/versioned/versions")).body).toEqual([3]);
  });

  it("stops serving an id once every version using it is permanently gone, and never reuses it", async () => {
    const only = record("Lonely", [{ name: "x", type: "long" }]);
    const { id } = (await registry.call("POST", "/subjects/lonely/versions", { schema: only })).body;
    await registry.call("DELETE", "/subjects/lonely");
    expect((await registry.call("GET", `/schemas/ids/${id}`)).status).toBe(200);
    await registry.call("DELETE", "/subjects/lonely?permanent=true");
    expect((await registry.call("GET", `/schemas/ids/${id}`)).body.error_code).toBe(40403);
    const next = await registry.call("POST", "/subjects/fresh/versions", { schema: record("Fresh", [{ name: "y", type: "int" }]) });
    expect(next.body.id).toBe(id + 1);
  });
});

describe("internal errors", () => {
  it("answers 50001 and keeps serving when the database breaks underneath", async () => {
    const broken = startTestRegistry();
    const lines: string[] = [];
    try {
      await broken.call("POST", "/subjects/s/versions", { schema: '"string"' });
      const db = new Database(broken.dbPath);
      db.exec("DROP TABLE versions");
      db.close();
      const reply = await broken.call("GET", "/subjects");
      expect([reply.status, reply.body.error_code]).toEqual([500, 50001]);
      expect((await broken.call("GET", "/")).status).toBe(200);
    } finally {
      await broken.dispose();
    }
    const logged = startTestRegistry({ log: (line) => lines.push(line) });
    try {
      new Database(logged.dbPath).exec("DROP TABLE config");
      await logged.call("GET", "/config");
      expect(lines.join("\n")).toContain("internal error on GET /config");
    } finally {
      await logged.dispose();
    }
  });
});
