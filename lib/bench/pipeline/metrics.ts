import type { Failure } from "../preamble.ts";
import { REFERENCE_ROWS } from "./plan.ts";

/** The measured stages, in report order. */
export const STEPS = ["produce", "consume", "e2e", "dbt"] as const;
export type Step = (typeof STEPS)[number];

/** How a metric's values are shown. */
export type Unit = "events/s" | "seconds" | "bytes";

/** A goal a metric is judged against; `reference` marks a comparison point rather than a target. */
export interface Target {
  text: string;
  met: (value: number) => boolean;
  reference?: boolean;
}

/** What a metric means and what it is judged against (per size). */
export interface MetricDef {
  step: Step;
  label: string;
  unit: Unit;
  target?: (rows: number) => Target | undefined;
}

const atLeast = (min: number, unit: string): Target => ({ text: `≥ ${min.toLocaleString("en-US")} ${unit}`, met: (v) => v >= min });

/**
 * Every metric the benchmark reports, in table order within a step. Rates are rows ÷ the wall
 * time of the whole CLI process (start-up and shutdown included: what a user waits for); the
 * "own" rows quote each CLI's summary line as a cross-check.
 */
export const METRICS = {
  "produce.rate": { step: "produce", label: "events/s (rows ÷ process wall time)", unit: "events/s", target: () => atLeast(500_000, "events/s") },
  "produce.own": { step: "produce", label: "events/s, producer's own summary", unit: "events/s" },
  "produce.rss": {
    step: "produce",
    label: "peak RSS",
    unit: "bytes",
    target: (rows) => (rows >= 10_000_000 ? { text: "≤ 300 MB", met: (v) => v <= 300e6 } : undefined),
  },
  "consume.rate": { step: "consume", label: "events/s (rows ÷ process wall time)", unit: "events/s", target: () => atLeast(400_000, "events/s") },
  "consume.own": { step: "consume", label: "events/s, consumer's own summary", unit: "events/s" },
  "consume.rss": { step: "consume", label: "peak RSS", unit: "bytes" },
  "e2e.seconds": {
    step: "e2e",
    label: "seconds, producer start → count(*) = rows",
    unit: "seconds",
    target: (rows) => (rows === REFERENCE_ROWS ? { text: "≤ 10 s", met: (v) => v <= 10 } : undefined),
  },
  "e2e.afterProduce": { step: "e2e", label: "seconds from producer exit to queryable", unit: "seconds" },
  "dbt.full": {
    step: "dbt",
    label: "seconds, first full build (wall)",
    unit: "seconds",
    target: (rows) =>
      rows === REFERENCE_ROWS ? { text: "original: 27.8 s (BigQuery)", met: (v) => v <= 27.8, reference: true } : undefined,
  },
  "dbt.fullOwn": { step: "dbt", label: "seconds, full build, dbt's own", unit: "seconds" },
  "dbt.incremental": { step: "dbt", label: "seconds, incremental build after +N events (wall)", unit: "seconds" },
  "dbt.incrementalOwn": { step: "dbt", label: "seconds, incremental build, dbt's own", unit: "seconds" },
  "dbt.rss": { step: "dbt", label: "peak RSS (dbt + DuckDB)", unit: "bytes" },
} satisfies Record<string, MetricDef>;
export type MetricId = keyof typeof METRICS;
const METRIC_ORDER = Object.keys(METRICS) as MetricId[];

/** One value of one metric from one run. */
export interface Sample {
  metric: MetricId;
  rows: number;
  run: number;
  value: number;
}

/** What one child process cost (from rusage), for the resources table. */
export interface Usage {
  step: Step;
  /** Which process of the step: "producer", "consumer", "dbt build (full)", … */
  process: string;
  rows: number;
  run: number;
  wallMs: number;
  cpuMs: number;
  peakRssBytes: number;
  /** 1-minute load average when the run started. */
  load1: number;
}

/** A run (or a whole step) that failed, and why; the benchmark goes on and exits 1 at the end. */
export type { Failure } from "../preamble.ts";

/** Everything a benchmark invocation collected. */
export class Results {
  readonly samples: Sample[] = [];
  readonly usages: Usage[] = [];
  readonly failures: Failure[] = [];

  add(metric: MetricId, rows: number, run: number, value: number): void {
    this.samples.push({ metric, rows, run, value });
  }

  use(usage: Usage): void {
    this.usages.push(usage);
  }

  fail(what: string, error: unknown): void {
    this.failures.push({ what, message: error instanceof Error ? error.message : String(error) });
  }
}

/** Groups samples by (metric, rows) in report order: steps, then sizes ascending, then metric order. */
export function groupSamples(samples: readonly Sample[]): { metric: MetricId; rows: number; values: number[] }[] {
  const groups = new Map<string, { metric: MetricId; rows: number; values: number[] }>();
  for (const s of samples) {
    const key = `${s.metric}\u0000${s.rows}`;
    const group = groups.get(key) ?? { metric: s.metric, rows: s.rows, values: [] };
    group.values.push(s.value);
    groups.set(key, group);
  }
  const stepIndex = (m: MetricId) => STEPS.indexOf(METRICS[m].step);
  return [...groups.values()].sort(
    (a, b) => stepIndex(a.metric) - stepIndex(b.metric) || a.rows - b.rows || METRIC_ORDER.indexOf(a.metric) - METRIC_ORDER.indexOf(b.metric),
  );
}

/** The target `metric` is judged against at `rows` rows, if any. */
export function targetOf(metric: MetricId, rows: number): Target | undefined {
  const def: MetricDef = METRICS[metric];
  return def.target?.(rows);
}
