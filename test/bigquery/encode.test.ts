import { describe, expect, it } from "bun:test";
import { encodeRows, formatTimestamp } from "../../lib/bigquery/encode.ts";
import { sampleRows } from "../support/bigquery-emulator.ts";

describe("formatTimestamp", () => {
  it("keeps all six fractional digits, before and after the epoch", () => {
    expect(formatTimestamp(1_600_948_626_123_456)).toBe("2020-09-24T11:57:06.123456Z");
    expect(formatTimestamp(1_600_948_626_000_001)).toBe("2020-09-24T11:57:06.000001Z");
    expect(formatTimestamp(-1)).toBe("1969-12-31T23:59:59.999999Z");
    expect(formatTimestamp(-62_135_596_800_000_000)).toBe("0001-01-01T00:00:00.000000Z");
  });
});

describe("encodeRows", () => {
  it("serialises each row once with insertId topic-partition-offset and explicit NULLs", () => {
    const [row] = sampleRows(1, { partition: 2, firstOffset: 42 });
    const { encoded, rejected } = encodeRows([row!], "ecom_events");
    expect(rejected).toEqual([]);
    const entry = JSON.parse(encoded[0]!.entry);
    expect(entry.insertId).toBe("ecom_events-2-42");
    expect(entry.json).toMatchObject({ event_time: "2020-09-24T11:57:48.123498Z", category_id: null, _kafka_offset: 42 });
    expect(encoded[0]!.bytes).toBe(Buffer.byteLength(encoded[0]!.entry));
  });
});
