import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { record, startTestRegistry, type TestRegistry } from "./harness.ts";

let registry: TestRegistry;
beforeAll(() => {
  registry = startTestRegistry();
});
afterAll(() => registry.dispose());

const base = record("Order", [{ name: "id", type: "string" }]);
const addOptional = record("Order", [
  { name: "id", type: "string" },
  { name: "note", type: ["null", "string"], default: null },
]);
const addRequired = record("Order", [
  { name: "id", type: "string" },
  { name: "qty", type: "int" },
]);
const dropField = record("Order", []);
const widenIntToLong = [record("N", [{ name: "n", type: "int" }]), record("N", [{ name: "n", type: "long" }])] as const;

let subjectCounter = 0;
/** Registers `versions` in a fresh subject at `level` (NONE while seeding) and returns its name. */
async function subjectWith(level: string, versions: string[]): Promise<string> {
  const subject = `compat-${++subjectCounter}`;
  await registry.call("PUT", `/config/${subject}`, { compatibility: "NONE" });
  for (const schema of versions) {
    const reply = await registry.call("POST", `/subjects/${subject}/versions`, { schema });
    expect(reply.status).toBe(200);
  }
  await registry.call("PUT", `/config/${subject}`, { compatibility: level });
  return subject;
}

async function registerStatus(subject: string, schema: string): Promise<number> {
  return (await registry.call("POST", `/subjects/${subject}/versions`, { schema })).status;
}

describe("compatibility levels on register", () => {
  const cases: Array<[string, string, string[], string, number]> = [
    ["BACKWARD", "an added optional field", [base], addOptional, 200],
    ["BACKWARD", "an added required field", [base], addRequired, 409],
    ["BACKWARD", "a dropped field", [addOptional], dropField, 200],
    ["BACKWARD", "int widened to long", [widenIntToLong[0]], widenIntToLong[1], 200],
    ["FORWARD", "an added required field", [base], addRequired, 200],
    ["FORWARD", "a dropped field without default", [addRequired], base, 409],
    ["FORWARD", "int widened to long", [widenIntToLong[0]], widenIntToLong[1], 409],
    ["FULL", "an added optional field", [base], addOptional, 200],
    ["FULL", "an added required field", [base], addRequired, 409],
    ["NONE", "a changed field type", [base], record("Order", [{ name: "id", type: "int" }]), 200],
  ];
  for (const [level, change, existing, candidate, status] of cases) {
    it(`does ${status === 200 ? "accept" : "refuse"} ${change} under ${level}`, async () => {
      const subject = await subjectWith(level, existing);
      expect(await registerStatus(subject, candidate)).toBe(status);
    });
  }

  it("checks only the latest version unless the level is transitive", async () => {
    // v1 has qty as an int; v2 drops it; v3 re-adds qty as a string: fine against v2, not v1.
    const v1 = record("T", [{ name: "qty", type: "int", default: 0 }]);
    const v2 = record("T", []);
    const v3 = record("T", [{ name: "qty", type: "string", default: "" }]);
    const plain = await subjectWith("BACKWARD", [v1, v2]);
    expect(await registerStatus(plain, v3)).toBe(200);
    const transitive = await subjectWith("BACKWARD_TRANSITIVE", [v1, v2]);
    expect(await registerStatus(transitive, v3)).toBe(409);
    const forwardTransitive = await subjectWith("FORWARD_TRANSITIVE", [v1, v2]);
    expect(await registerStatus(forwardTransitive, v3)).toBe(409);
    const forward = await subjectWith("FORWARD", [v1, v2]);
    expect(await registerStatus(forward, v3)).toBe(200);
    const fullTransitive = await subjectWith("FULL_TRANSITIVE", [v1, v2]);
    expect(await registerStatus(fullTransitive, v3)).toBe(409);
  });

  it("uses the global level when the subject has none", async () => {
    const subject = await subjectWith("BACKWARD", [base]);
    await registry.call("DELETE", `/config/${subject}`);
    await registry.call("PUT", "/config", { compatibility: "NONE" });
    try {
      expect(await registerStatus(subject, addRequired)).toBe(200);
    } finally {
      await registry.call("PUT", "/config", { compatibility: "BACKWARD" });
    }
  });
});

describe("POST /compatibility", () => {
  it("answers is_compatible for latest, a version and all versions", async () => {
    const subject = await subjectWith("BACKWARD", [base, addOptional]);
    const latest = await registry.call("POST", `/compatibility/subjects/${subject}/versions/latest`, { schema: addRequired });
    expect(latest.body).toEqual({ is_compatible: false });
    const v1 = await registry.call("POST", `/compatibility/subjects/${subject}/versions/1`, { schema: dropField });
    expect(v1.body).toEqual({ is_compatible: true });
    const all = await registry.call("POST", `/compatibility/subjects/${subject}/versions`, { schema: addOptional });
    expect(all.body).toEqual({ is_compatible: true });
  });

  it("explains incompatibilities with ?verbose=true", async () => {
    const subject = await subjectWith("BACKWARD", [base]);
    const reply = await registry.call("POST", `/compatibility/subjects/${subject}/versions/latest?verbose=true`, { schema: addRequired });
    expect(reply.body.is_compatible).toBe(false);
    expect(reply.body.messages.join("\n")).toContain("qty");
    const ok = await registry.call("POST", `/compatibility/subjects/${subject}/versions/latest?verbose=true`, { schema: addOptional });
    expect(ok.body).toEqual({ is_compatible: true, messages: [] });
    const invalid = await registry.call("POST", `/compatibility/subjects/${subject}/versions/latest?verbose=true`, { schema: "{" });
    expect(invalid.body.is_compatible).toBe(false);
  });

  it("treats latest of an unknown subject as compatible, and an unknown version as 40402", async () => {
    expect((await registry.call("POST", "/compatibility/subjects/nobody/versions/latest", { schema: base })).body).toEqual({ is_compatible: true });
    const missing = await registry.call("POST", "/compatibility/subjects/nobody/versions/3", { schema: base });
    expect([missing.status, missing.body.error_code]).toEqual([404, 40402]);
    const invalid = await registry.call("POST", "/compatibility/subjects/nobody/versions/latest", { schema: "{" });
    expect([invalid.status, invalid.body.error_code]).toEqual([422, 42201]);
    const badVersion = await registry.call("POST", "/compatibility/subjects/nobody/versions/x", { schema: base });
    expect(badVersion.body.error_code).toBe(42202);
  });

  it("catches enum, union and rename breakage", async () => {
    const enumOf = (symbols: string[]) => JSON.stringify({ type: "enum", name: "Kind", symbols });
    const enumSubject = await subjectWith("BACKWARD", [enumOf(["A", "B"])]);
    expect(await registerStatus(enumSubject, enumOf(["A"]))).toBe(409);
    expect(await registerStatus(enumSubject, enumOf(["A", "B", "C"]))).toBe(200);
    const unionSubject = await subjectWith("BACKWARD", [JSON.stringify(["null", "string", "int"])]);
    expect(await registerStatus(unionSubject, JSON.stringify(["null", "string"]))).toBe(409);
    const renamed = await subjectWith("BACKWARD", [base]);
    expect(await registerStatus(renamed, record("Purchase", [{ name: "id", type: "string" }]))).toBe(409);
  });
});
