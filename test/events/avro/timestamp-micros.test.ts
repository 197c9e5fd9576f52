import { describe, expect, it } from "bun:test";
import avro from "avsc";
import { avroType } from "../../../lib/events/avro/schema.ts";

const schema = { type: "record", name: "T", fields: [{ name: "t", type: { type: "long", logicalType: "timestamp-micros" } }] } as const;

describe("TimestampMicrosType", () => {
  it("writes microseconds as an Avro long and reads them back as a number", () => {
    const type = avroType(schema as unknown as avro.Schema);
    const plainLong = avro.Type.forSchema({ type: "record", name: "T", fields: [{ name: "t", type: "long" }] });
    for (const t of [0, -1, 1_600_948_626_123_456, 2 ** 52]) {
      const buf = type.toBuffer({ t });
      expect(buf.equals(plainLong.toBuffer({ t }))).toBe(true);
      expect(type.fromBuffer(buf).t).toBe(t);
    }
  });

  it("accepts a Date when writing and refuses fractions and unsafe integers", () => {
    const type = avroType(schema as unknown as avro.Schema);
    const d = new Date("2020-09-24T11:57:06.123Z");
    expect(type.fromBuffer(type.toBuffer({ t: d })).t).toBe(d.getTime() * 1000);
    expect(type.isValid({ t: 1.5 })).toBe(false);
    expect(type.isValid({ t: 2 ** 53 + 2 })).toBe(false);
    expect(type.isValid({ t: "1" })).toBe(false);
  });

  it("reads data written with a plain long schema", () => {
    const writer = avro.Type.forSchema({ type: "record", name: "T", fields: [{ name: "t", type: "long" }] });
    const reader = avroType(schema as unknown as avro.Schema);
    const resolver = reader.createResolver(writer);
    expect(reader.fromBuffer(writer.toBuffer({ t: 42 }), resolver).t).toBe(42);
  });
});
