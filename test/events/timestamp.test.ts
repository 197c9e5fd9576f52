import { describe, expect, it } from "bun:test";
import { formatEventTime, parseEventTime } from "../../lib/events/timestamp.ts";

const at = (iso: string) => Date.parse(iso) * 1000;

describe("parseEventTime", () => {
  it("reads the datasets' format", () => {
    expect(parseEventTime("2020-09-24 11:57:06 UTC")).toBe(at("2020-09-24T11:57:06Z"));
    expect(parseEventTime("2019-10-01 00:00:00 UTC")).toBe(at("2019-10-01T00:00:00Z"));
    expect(parseEventTime("2020-02-29 23:59:59 UTC")).toBe(at("2020-02-29T23:59:59Z"));
  });

  it("reads ISO-8601 with Z, fractions and offsets", () => {
    const base = at("2020-09-24T11:57:06Z");
    expect(parseEventTime("2020-09-24T11:57:06Z")).toBe(base);
    expect(parseEventTime("2020-09-24T11:57:06.123456Z")).toBe(base + 123456);
    expect(parseEventTime("2020-09-24T11:57:06.5Z")).toBe(base + 500000);
    expect(parseEventTime("2020-09-24T11:57:06.123456789Z")).toBe(base + 123456);
    expect(parseEventTime("2020-09-24T11:57:06+00:00")).toBe(base);
    expect(parseEventTime("2020-09-24T14:57:06+03:00")).toBe(base);
    expect(parseEventTime("2020-09-24T06:27:06-0530")).toBe(base);
    expect(parseEventTime("2020-09-24T13:57:06+02")).toBe(base);
    expect(parseEventTime("2020-09-24 11:57:06.25 UTC")).toBe(base + 250000);
    expect(parseEventTime("2020-09-24t11:57:06z")).toBe(base);
  });

  it("refuses times without a zone, impossible dates and other text", () => {
    for (const bad of [
      "2020-09-24 11:57:06",
      "2020-09-24T11:57:06",
      "2020-13-01 00:00:00 UTC",
      "2021-02-29 00:00:00 UTC",
      "2020-09-31 00:00:00 UTC",
      "2020-09-24 24:00:00 UTC",
      "2020-09-24 11:60:00 UTC",
      "2020-09-24 11:57:60 UTC",
      "2020-09-24T11:57:06+25:00",
      "20-09-24 11:57:06 UTC",
      "2020-09-2a 11:57:06 UTC",
      "1600948626",
      "yesterday",
      "",
    ]) {
      expect(parseEventTime(bad)).toBeNaN();
    }
  });

  it("formats back to the datasets' format", () => {
    expect(formatEventTime(parseEventTime("2020-09-24 11:57:06 UTC"))).toBe("2020-09-24 11:57:06 UTC");
  });
});
