import { describe, expect, it } from "bun:test";
import { aggregate, compare, missesTarget } from "../../lib/bench/kafka/report.ts";
import type { Measurement, Role, Tool } from "../../lib/bench/kafka/measurement.ts";

const run = (tool: Tool, role: Role, msgsPerSec: number): Measurement => ({
  tool, role, size: 100, messages: 1_000, elapsedMs: 1, msgsPerSec, wallMs: 1, cpuMs: 1, peakRssBytes: 1, load1: 0,
});

describe("compare", () => {
  it("compares a consumer with rdkafka_performance's faster mode, and a producer with its only one", () => {
    const measurements = [
      run("binding", "consume", 1_800), run("binding", "consume", 2_000), run("binding", "consume", 2_200),
      run("rdkafka_performance", "consume", 700), run("rdkafka_performance", "consume", 750), run("rdkafka_performance", "consume", 800),
      run("rdkafka_performance-poll", "consume", 1_500), run("rdkafka_performance-poll", "consume", 1_600), run("rdkafka_performance-poll", "consume", 1_700),
      run("binding", "produce", 900), run("rdkafka_performance", "produce", 1_000), run("java", "produce", 450),
    ];
    const comparisons = compare(aggregate(measurements));
    expect(comparisons.find((c) => c.role === "consume")?.vsRdkafka).toBeCloseTo(2_000 / 1_600);
    const producer = comparisons.find((c) => c.role === "produce")!;
    expect(producer.vsRdkafka).toBeCloseTo(0.9);
    expect(producer.vsJava).toBeCloseTo(2);
  });

  it("holds only like-for-like producer rows to rdkafka_performance's target, every row to Java's", () => {
    const measurements = [
      run("binding", "produce", 700), run("binding-nokey", "produce", 900), run("binding-copy", "produce", 700),
      run("rdkafka_performance", "produce", 1_000), run("java", "produce", 650),
    ];
    const byVariant = new Map(compare(aggregate(measurements)).map((c) => [c.variant, c]));
    expect(byVariant.get("binding-nokey")!.likeForLike).toBe(true);
    expect(missesTarget(byVariant.get("binding-nokey")!)).toBe(false);
    expect(missesTarget(byVariant.get("binding")!)).toBe(false); // 0.70× rdkafka_performance: keyed, not like-for-like
    expect(missesTarget(byVariant.get("binding-copy")!)).toBe(false);
    expect(missesTarget(compare(aggregate([run("binding", "produce", 600), run("java", "produce", 650)]))[0]!)).toBe(true);
  });
});
