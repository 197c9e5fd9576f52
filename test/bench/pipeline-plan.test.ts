import { describe, expect, it } from "bun:test";
import {
  dbtRunsFor, e2eRows, estimateSeconds, parseParts, parseSizes, PlanUsageError, REFERENCE_ROWS, willRun, type PipelinePlan,
} from "../../lib/bench/pipeline/plan.ts";

const plan = (overrides: Partial<PipelinePlan> = {}): PipelinePlan => ({
  sizes: [REFERENCE_ROWS, 10_000_000],
  runs: 3,
  seed: 42,
  skip: new Set(),
  incrementalEvents: 2_000,
  partitions: 6,
  ...overrides,
});

describe("parseSizes", () => {
  it("reads comma-separated sizes with digit separators, sorted and deduplicated", () => {
    expect(parseSizes("10_000_000, 885129,1e6,885129")).toEqual([885_129, 1_000_000, 10_000_000]);
  });

  it("refuses zero, fractions, words and empty entries, naming the flag", () => {
    for (const bad of ["0", "1.5", "many", "100,,200", "-5"]) {
      expect(() => parseSizes(bad)).toThrow(PlanUsageError);
    }
    expect(() => parseSizes("abc")).toThrow(/--sizes: "abc"/);
  });
});

describe("parseParts", () => {
  it("reads the parts to skip and ignores empty entries", () => {
    expect([...parseParts("dbt, e2e,")]).toEqual(["dbt", "e2e"]);
    expect(parseParts("").size).toBe(0);
  });

  it("lists the known parts when one is unknown", () => {
    expect(() => parseParts("dbt,kafka")).toThrow(/unknown part "kafka" \(expected any of produce, consume, e2e, dbt, incremental\)/);
  });
});

describe("dbtRunsFor", () => {
  it("runs dbt --runs times on small sizes and once on large ones by default", () => {
    expect(dbtRunsFor(plan(), REFERENCE_ROWS)).toBe(3);
    expect(dbtRunsFor(plan(), 10_000_000)).toBe(1);
  });

  it("uses --dbt-runs for every size when given", () => {
    expect(dbtRunsFor(plan({ dbtRuns: 2 }), 10_000_000)).toBe(2);
  });
});

describe("e2eRows", () => {
  it("prefers the reference size, else the smallest", () => {
    expect(e2eRows(plan())).toBe(REFERENCE_ROWS);
    expect(e2eRows(plan({ sizes: [100_000, 10_000_000] }))).toBe(100_000);
  });
});

describe("willRun", () => {
  it("skips the incremental build with dbt", () => {
    expect(willRun(plan(), "incremental")).toBe(true);
    expect(willRun(plan({ skip: new Set(["dbt"]) }), "incremental")).toBe(false);
    expect(willRun(plan({ skip: new Set(["incremental"]) }), "dbt")).toBe(true);
  });
});

describe("estimateSeconds", () => {
  it("keeps the default benchmark under 25 minutes", () => {
    const total = Object.values(estimateSeconds(plan())).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(5 * 60);
    expect(total).toBeLessThan(25 * 60);
  });

  it("counts generation only for missing files, and one untimed fill when the producer is skipped", () => {
    expect(estimateSeconds(plan()).generate).toBe(0);
    expect(estimateSeconds(plan(), [10_000_000]).generate).toBeGreaterThan(5);
    const skipped = estimateSeconds(plan({ skip: new Set(["produce"]) }));
    expect(skipped.produce).toBeGreaterThan(0);
    expect(skipped.produce).toBeLessThan(estimateSeconds(plan()).produce);
  });

  it("estimates nothing for skipped parts", () => {
    const only = estimateSeconds(plan({ skip: new Set(["produce", "consume", "dbt"]) }));
    expect(only.produce + only.consume + only.dbt + only.incremental).toBe(0);
    expect(only.e2e).toBeGreaterThan(0);
  });
});
