import { describe, expect, it } from "bun:test";
import { canonicalize } from "../../lib/registry/canonical.ts";
import { RegistryError } from "../../lib/registry/errors.ts";
import { ECOM_SCHEMA } from "./harness.ts";

const canonical = (schema: unknown) => canonicalize({ schema: typeof schema === "string" ? schema : JSON.stringify(schema) });

describe("canonicalize", () => {
  it("gives the same text and fingerprint to equivalent spellings", () => {
    const spellings = [
      { type: "record", name: "R", namespace: "a.b", fields: [{ name: "x", type: "string" }] },
      { fields: [{ type: { type: "string" }, name: "x" }], namespace: "a.b", name: "R", type: "record" },
      { type: "record", name: "a.b.R", fields: [{ name: "x", type: "string", order: "ascending" }] },
    ];
    const texts = new Set(spellings.map((spelling) => canonical(spelling).text));
    expect(texts.size).toBe(1);
    expect([...texts][0]).toBe('{"type":"record","name":"R","namespace":"a.b","fields":[{"name":"x","type":"string"}]}');
    expect(canonical(spellings[0]).fingerprint).toBe(canonical(spellings[2]).fingerprint);
    expect(canonical(JSON.stringify(spellings[0], null, 8)).fingerprint).toBe(canonical(spellings[0]).fingerprint);
  });

  it("keeps what changes meaning or documentation apart", () => {
    const base = { type: "record", name: "R", fields: [{ name: "x", type: "string" }] };
    const variants = [
      base,
      { ...base, doc: "documented" },
      { ...base, fields: [{ name: "x", type: "string", default: "" }] },
      { ...base, fields: [{ name: "x", type: { type: "string", logicalType: "uuid" } }] },
      { ...base, namespace: "other" },
      { ...base, fields: [{ name: "x", type: "string", order: "descending" }] },
    ];
    expect(new Set(variants.map((variant) => canonical(variant).fingerprint)).size).toBe(variants.length);
  });

  it("writes nested named types without the namespace they inherit", () => {
    const text = canonical({
      type: "record",
      name: "com.x.Outer",
      fields: [{ name: "inner", type: { type: "record", name: "Inner", fields: [] } }, { name: "again", type: "Inner" }],
    }).text;
    expect(text).toBe('{"type":"record","name":"Outer","namespace":"com.x","fields":[{"name":"inner","type":{"type":"record","name":"Inner","fields":[]}},{"name":"again","type":"Inner"}]}');
  });

  it("keeps the project's event schema readable by avsc with its logical type", () => {
    const { text, type } = canonical(ECOM_SCHEMA);
    expect(JSON.parse(text).fields[0]).toEqual({
      name: "event_time",
      type: { type: "long", logicalType: "timestamp-micros" },
      doc: "When the event happened, UTC, microseconds since the epoch.",
    });
    expect(type.name).toBe("com.ecom.events.EcomEvent");
  });

  it("refuses invalid input with 42201 and the reason", () => {
    const cases: Array<[Parameters<typeof canonicalize>[0], string]> = [
      [{ schema: "{" }, "not valid JSON"],
      [{ schema: '{"type":"record","name":"R"}' }, "record fields"],
      [{ schema: '"strin"' }, "strin"],
      [{ schema: 7 }, "must be a non-empty string"],
      [{ schema: '"string"', schemaType: "JSON" }, "AVRO schemas only"],
      [{ schema: '"string"', references: [{}] }, "references are not supported"],
    ];
    for (const [request, reason] of cases) {
      let caught: unknown;
      try {
        canonicalize(request);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(RegistryError);
      expect((caught as RegistryError).errorCode).toBe(42201);
      expect((caught as RegistryError).message).toContain(reason);
    }
    expect(canonicalize({ schema: '"string"', schemaType: "avro", references: [] }).text).toBe('"string"');
  });
});
