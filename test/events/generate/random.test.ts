import { describe, expect, it } from "bun:test";
import { Random, ZipfSampler } from "../../../lib/events/generate/random.ts";

describe("Random", () => {
  it("repeats its sequence for a seed", () => {
    const a = new Random(5);
    const b = new Random(5);
    const c = new Random(6);
    const xs = Array.from({ length: 10 }, () => a.float());
    expect(Array.from({ length: 10 }, () => b.float())).toEqual(xs);
    expect(Array.from({ length: 10 }, () => c.float())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("draws with the requested means", () => {
    const r = new Random(1);
    const n = 100_000;
    let exp = 0;
    let geo = 0;
    for (let i = 0; i < n; i++) {
      exp += r.exp(3);
      geo += r.geometric(0.6);
    }
    expect(exp / n).toBeCloseTo(3, 1);
    expect(geo / n).toBeCloseTo(0.6, 1);
  });
});

describe("ZipfSampler", () => {
  it("samples indexes with Zipf weights (alias method)", () => {
    const z = new ZipfSampler(1000, 1);
    const r = new Random(3);
    const counts = new Array(1000).fill(0);
    const n = 200_000;
    for (let i = 0; i < n; i++) counts[z.sample(r)]++;
    for (const i of [0, 1, 9, 99]) expect(counts[i] / n).toBeCloseTo(z.weights[i]!, 2);
    expect(counts[0]).toBeGreaterThan(counts[1]);
    expect(z.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});
