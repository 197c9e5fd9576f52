import { formatCount, formatMiB, formatSeconds } from "../format.ts";
import { renderFailures, renderPreamble, type RunContext } from "../preamble.ts";
import { median, summarize } from "../stats.ts";
import { renderMarkdown, type Table } from "../table.ts";
import { groupSamples, METRICS, STEPS, targetOf, type MetricId, type Sample, type Step, type Unit, type Usage } from "./metrics.ts";

const STEP_LABEL: Record<Step, string> = {
  produce: "produce CSV → Kafka",
  consume: "consume Kafka → Parquet",
  e2e: "end-to-end CSV → table",
  dbt: "dbt build",
};

/** A value in its unit: "512,345" events/s, "12.34 s", "123 MiB". */
export function formatValue(value: number, unit: Unit): string {
  if (unit === "events/s") return formatCount(value);
  if (unit === "seconds") return `${value.toFixed(2)} s`;
  return formatMiB(value);
}

/** The label of `metric`, with the incremental event count filled in. */
const metricLabel = (metric: MetricId, incrementalEvents: number) => METRICS[metric].label.replace("+N", `+${incrementalEvents.toLocaleString("en-US")}`);

/** Whether a median meets its target: "yes", "no" (bold in markdown), or "—" when there is none. */
function verdict(metric: MetricId, rows: number, value: number, markdown: boolean): { target: string; met: string } {
  const target = targetOf(metric, rows);
  if (!target) return { target: "—", met: "—" };
  const ok = target.met(value);
  return { target: target.text, met: ok ? "yes" : markdown ? "**no**" : "no" };
}

/**
 * The main table: one row per metric and size — median, min – max over the runs, the target
 * and whether the median meets it.
 */
export function resultsTable(samples: readonly Sample[], incrementalEvents: number, markdown = false): Table {
  return {
    headers: ["step", "rows", "measure", "median", "min – max", "runs", "target", "met?"],
    align: ["left", "right", "left", "right", "right", "right", "left", "left"],
    rows: groupSamples(samples).map(({ metric, rows, values }) => {
      const { unit, step } = METRICS[metric];
      const s = summarize(values, `${metric} at ${rows} rows`);
      const { target, met } = verdict(metric, rows, s.median, markdown);
      return [
        STEP_LABEL[step],
        formatCount(rows),
        metricLabel(metric, incrementalEvents),
        formatValue(s.median, unit),
        `${formatValue(s.min, unit)} – ${formatValue(s.max, unit)}`,
        String(s.count),
        target,
        met,
      ];
    }),
  };
}

/** Per process: median wall and CPU time, CPU ÷ wall (cores kept busy), peak RSS (median and max). */
export function resourcesTable(usages: readonly Usage[]): Table {
  const groups = new Map<string, Usage[]>();
  for (const u of usages) {
    const key = `${u.step}\u0000${u.rows}\u0000${u.process}`;
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  const ordered = [...groups.values()].sort((a, b) => STEPS.indexOf(a[0]!.step) - STEPS.indexOf(b[0]!.step) || a[0]!.rows - b[0]!.rows);
  return {
    headers: ["step", "rows", "process", "wall", "CPU", "CPU ÷ wall", "peak RSS", "peak RSS max", "load (1 min)"],
    align: ["left", "right", "left", "right", "right", "right", "right", "right", "right"],
    rows: ordered.map((group) => {
      const { step, rows, process } = group[0]!;
      const wall = median(group.map((u) => u.wallMs));
      const cpu = median(group.map((u) => u.cpuMs));
      return [
        STEP_LABEL[step],
        formatCount(rows),
        process,
        formatSeconds(wall),
        formatSeconds(cpu),
        `${(cpu / wall).toFixed(2)}`,
        formatMiB(median(group.map((u) => u.peakRssBytes))),
        formatMiB(Math.max(...group.map((u) => u.peakRssBytes))),
        median(group.map((u) => u.load1)).toFixed(2),
      ];
    }),
  };
}

/** How many medians with a (non-reference) target miss it, of how many. */
export function targetsMissed(samples: readonly Sample[]): { missed: string[]; judged: number } {
  const missed: string[] = [];
  let judged = 0;
  for (const { metric, rows, values } of groupSamples(samples)) {
    const target = targetOf(metric, rows);
    if (!target || target.reference) continue;
    judged++;
    if (!target.met(median(values))) missed.push(`${STEP_LABEL[METRICS[metric].step]} ${formatCount(rows)}: ${METRICS[metric].label} ${target.text}`);
  }
  return { missed, judged };
}

/** Everything the markdown report states besides the measurements. */
export interface ReportContext extends RunContext {
  /** Purpose → exact command of each child process. */
  commands: [string, string][];
  incrementalEvents: number;
}

/** The whole report as markdown (reports/bench.md), to paste into the README. */
export function renderReport(samples: readonly Sample[], usages: readonly Usage[], context: ReportContext): string {
  const minutes = (context.finishedAt.getTime() - context.startedAt.getTime()) / 60_000;
  const lines = [
    ...renderPreamble({
      title: "Pipeline benchmark: CSV → Avro → Kafka → Parquet → dbt",
      runLine: `Run ${context.startedAt.toISOString()} – ${context.finishedAt.toISOString()} (${minutes.toFixed(1)} min) with \`${context.command}\`.`,
      machine: context.machine,
      loadAtEnd: context.loadAtEnd,
      runLoads: usages.map((u) => u.load1),
      machineNote: "Kafka, the Schema Registry and every pipeline process share these cores; the machine was not otherwise idle.",
      versions: context.versions,
      settingsTitle: "Settings",
      settings: context.settings,
    }),
    "## Results",
    "",
    renderMarkdown(resultsTable(samples, context.incrementalEvents, true)),
    "",
    "Medians over the runs; the target is judged on the median. Rates are rows ÷ the wall time of the",
    "whole CLI process (Bun start-up, registry and broker handshakes, final flush and commit included);",
    "the \"own summary\" rows quote the rate each CLI prints itself, as a cross-check.",
    "",
    "## Resources per process",
    "",
    renderMarkdown(resourcesTable(usages)),
    "",
    "CPU is user + system time; CPU ÷ wall is how many cores the process kept busy. Peak RSS is the",
    "kernel's high-water mark (rusage) of the process and the children it waited for (dbt: Python + DuckDB).",
    "",
  ];
  lines.push(...renderFailures(context.failures));
  lines.push(
    "## Commands",
    "",
    "Each run is one of these, in its own process (first run shown; later runs differ only in topic, group and folder names).",
    "",
    ...context.commands.flatMap(([purpose, command]) => [`- ${purpose}:`, "", `  \`\`\`sh\n  ${command}\n  \`\`\``, ""]),
    "## Method",
    "",
    "- Sizes run one after the other, smallest first. The producer runs write to a fresh topic each; the",
    "  last one stays as the consumer runs' source, each consumer run under a fresh group into a fresh",
    "  warehouse folder. The last landing is hard-linked into a fresh folder for every dbt run, so each",
    "  first build starts from the same files and an empty dbt database.",
    `- Incremental build: the last ${context.incrementalEvents.toLocaleString("en-US")} rows of the CSV (its latest events) are`,
    "  produced again to the topic (new offsets, so new raw rows), the landing's own group consumes only",
    "  them into the run's folder, and dbt builds again.",
    "- End-to-end: the consumer starts first in follow mode on an empty topic (the clock starts once it has",
    "  created its dead-letter topic, i.e. is up); then the producer starts, and with it the clock, which",
    "  stops when `select count(*) from kafka_ecom_events` returns every row. SIGTERM must then make the",
    "  consumer flush, commit and exit 0, with the count unchanged.",
    "- Each run checks its own summary line: every row delivered, landed, no dead letters, no dbt error.",
    "",
  );
  return lines.join("\n");
}
