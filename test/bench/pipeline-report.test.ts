import { describe, expect, it } from "bun:test";
import { Results, type Usage } from "../../lib/bench/pipeline/metrics.ts";
import { formatValue, resourcesTable, resultsTable, targetsMissed } from "../../lib/bench/pipeline/report.ts";
import { renderMarkdown } from "../../lib/bench/table.ts";

function sampleResults(): Results {
  const results = new Results();
  [480_000, 520_000, 510_000].forEach((v, i) => results.add("produce.rate", 885_129, i + 1, v));
  [290e6, 330e6].forEach((v, i) => results.add("produce.rss", 10_000_000, i + 1, v));
  results.add("consume.rate", 885_129, 1, 150_000);
  results.add("e2e.seconds", 885_129, 1, 9.5);
  results.add("dbt.full", 885_129, 1, 30);
  results.add("dbt.incremental", 885_129, 1, 12);
  return results;
}

describe("formatValue", () => {
  it("formats each unit", () => {
    expect(formatValue(512_345.6, "events/s")).toBe("512,346");
    expect(formatValue(12.345, "seconds")).toBe("12.35 s");
    expect(formatValue(300 * 2 ** 20, "bytes")).toBe("300 MiB");
  });
});

describe("resultsTable", () => {
  it("gives one row per metric and size in step order, with median, range and verdict", () => {
    const table = resultsTable(sampleResults().samples, 2_000);
    expect(table.rows.map((r) => [r[0], r[1], r[3], r[6], r[7]])).toEqual([
      ["produce CSV → Kafka", "885,129", "510,000", "≥ 500,000 events/s", "yes"],
      ["produce CSV → Kafka", "10,000,000", "296 MiB", "≤ 300 MB", "no"],
      ["consume Kafka → Parquet", "885,129", "150,000", "≥ 400,000 events/s", "no"],
      ["end-to-end CSV → table", "885,129", "9.50 s", "≤ 10 s", "yes"],
      ["dbt build", "885,129", "30.00 s", "original: 27.8 s (BigQuery)", "no"],
      ["dbt build", "885,129", "12.00 s", "—", "—"],
    ]);
    expect(table.rows[0]![4]).toBe("480,000 – 520,000");
    expect(table.rows[5]![2]).toContain("+2,000 events");
  });

  it("bolds missed targets in markdown", () => {
    expect(renderMarkdown(resultsTable(sampleResults().samples, 2_000, true))).toContain("| **no**");
  });
});

describe("targetsMissed", () => {
  it("judges medians against targets, not against reference points", () => {
    const { missed, judged } = targetsMissed(sampleResults().samples);
    expect(judged).toBe(4);
    expect(missed).toHaveLength(2);
    expect(missed.join("\n")).toMatch(/consume Kafka → Parquet 885,129/);
    expect(missed.join("\n")).not.toMatch(/dbt/);
  });
});

describe("resourcesTable", () => {
  it("summarizes each process: wall, CPU, cores busy, peak RSS median and max", () => {
    const usage = (run: number, rss: number): Usage => ({
      step: "consume", process: "consumer", rows: 885_129, run, wallMs: 4_000, cpuMs: 6_000, peakRssBytes: rss, load1: 1.5,
    });
    const table = resourcesTable([usage(1, 100 * 2 ** 20), usage(2, 200 * 2 ** 20), usage(3, 150 * 2 ** 20)]);
    expect(table.rows).toEqual([["consume Kafka → Parquet", "885,129", "consumer", "4.00 s", "6.00 s", "1.50", "150 MiB", "200 MiB", "1.50"]]);
  });
});
