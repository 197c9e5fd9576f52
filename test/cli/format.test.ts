import { describe, expect, it } from "bun:test";
import { formatBytes, formatCount, formatDuration, formatInt, formatRate } from "../../lib/cli/format.ts";

describe("formatters", () => {
  it("shortens counts", () => {
    expect(formatCount(999)).toBe("999");
    expect(formatCount(12_345)).toBe("12.3k");
    expect(formatCount(999_999)).toBe("1.0M");
    expect(formatCount(1_234_567)).toBe("1.2M");
    expect(formatCount(3.4e9)).toBe("3.4G");
    expect(formatInt(1_000_000)).toBe("1,000,000");
  });

  it("shows bytes in SI units", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(34_500_000)).toBe("34.5 MB");
    expect(formatBytes(1_200_000_000)).toBe("1.20 GB");
  });

  it("shows durations for people", () => {
    expect(formatDuration(12.34)).toBe("12.3 s");
    expect(formatDuration(245)).toBe("4 min 05 s");
    expect(formatDuration(7384)).toBe("2 h 03 min");
    expect(formatDuration(Infinity)).toBe("?");
  });

  it("shows rates", () => {
    expect(formatRate(512_345, "rows")).toBe("512.3k rows/s");
    expect(formatRate(61_200_000, "bytes")).toBe("61.2 MB/s");
  });
});
