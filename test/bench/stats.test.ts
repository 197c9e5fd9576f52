import { describe, expect, it } from "bun:test";
import { EmptySampleError, median, summarize } from "../../lib/bench/stats.ts";

describe("median", () => {
  it("takes the middle value of an odd count, whatever the order", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([10, 1_000, 1])).toBe(10);
  });

  it("averages the middle two of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("does not reorder its input", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it("refuses an empty sample, naming what was measured", () => {
    expect(() => median([], "binding produce 100 B")).toThrow(EmptySampleError);
    expect(() => median([], "binding produce 100 B")).toThrow(/binding produce 100 B/);
  });
});

describe("summarize", () => {
  it("gives median, min, max and count", () => {
    expect(summarize([5, 9, 7])).toEqual({ median: 7, min: 5, max: 9, count: 3 });
  });

  it("handles a single measurement", () => {
    expect(summarize([42])).toEqual({ median: 42, min: 42, max: 42, count: 1 });
  });
});
