import { formatCount, formatMiB, formatRatio, formatSeconds, formatSize } from "../format.ts";
import { renderFailures, renderPreamble, type RunContext } from "../preamble.ts";
import { summarize, type Summary } from "../stats.ts";
import { renderMarkdown, type Table } from "../table.ts";
import { BINDINGS, type Measurement, type Role, type Tool } from "./measurement.ts";

/** The targets: the binding at ≥ 80% of rdkafka_performance and ≥ 1.0× the Java tool. */
export const TARGETS = { rdkafka_performance: 0.8, java: 1.0 } as const;

const TOOL_LABEL: Record<Tool, string> = {
  binding: "binding (keyed)",
  "binding-nokey": "binding (no key)",
  "binding-copy": "binding (no key, copied)",
  rdkafka_performance: "rdkafka_performance",
  "rdkafka_performance-poll": "rdkafka_performance (poll)",
  java: "Java perf-test",
};
/** Consumers all read the same keyed topic, so "keyed" only distinguishes the producer variants. */
const label = (tool: Tool, role: Role) => {
  if (role === "consume" && tool === "binding") return "binding";
  return role === "consume" && tool === "rdkafka_performance" ? "rdkafka_performance (batch)" : TOOL_LABEL[tool];
};
const TOOL_ORDER: Tool[] = ["binding", "binding-nokey", "binding-copy", "rdkafka_performance", "rdkafka_performance-poll", "java"];

/** Medians (with min/max) of one tool × role × size over its runs. */
export interface Aggregate {
  tool: Tool;
  role: Role;
  size: number;
  rate: Summary;
  cpuMs: Summary;
  peakRssBytes: Summary;
}

/** One binding variant against the two references for one size and role. */
export interface Comparison {
  size: number;
  role: Role;
  variant: Tool;
  vsRdkafka: number | null;
  vsJava: number | null;
  /**
   * Whether the binding did rdkafka_performance's work: consuming, or producing without keys
   * and without copying values (it can do neither). Only then does its target apply.
   */
  likeForLike: boolean;
}

/** Whether a comparison misses a target that applies to it. */
export function missesTarget(c: Comparison): boolean {
  const rdkafkaMissed = c.likeForLike && c.vsRdkafka !== null && c.vsRdkafka < TARGETS.rdkafka_performance;
  return rdkafkaMissed || (c.vsJava !== null && c.vsJava < TARGETS.java);
}

/** Groups measurements by (size, role, tool) and summarizes each group. */
export function aggregate(measurements: Measurement[]): Aggregate[] {
  const groups = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const key = `${m.size}\u0000${m.role}\u0000${m.tool}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const rows = [...groups.values()].map((ms) => {
    const { tool, role, size } = ms[0]!;
    const what = `${tool} ${role} ${size} B`;
    return {
      tool,
      role,
      size,
      rate: summarize(ms.map((m) => m.msgsPerSec), what),
      cpuMs: summarize(ms.map((m) => m.cpuMs), what),
      peakRssBytes: summarize(ms.map((m) => m.peakRssBytes), what),
    };
  });
  const roleOrder = (r: Role) => (r === "produce" ? 0 : 1);
  return rows.sort((a, b) => a.size - b.size || roleOrder(a.role) - roleOrder(b.role) || TOOL_ORDER.indexOf(a.tool) - TOOL_ORDER.indexOf(b.tool));
}

/**
 * Median-rate ratios of each binding variant to rdkafka_performance and to Java (null when one is
 * missing). For consumers, rdkafka_performance is its faster mode of the two (batch or poll).
 */
export function compare(aggregates: Aggregate[]): Comparison[] {
  const find = (size: number, role: Role, tool: Tool) => aggregates.find((a) => a.size === size && a.role === role && a.tool === tool);
  const fastest = (...found: (Aggregate | undefined)[]) =>
    found.reduce<Aggregate | undefined>((best, a) => (a && (!best || a.rate.median > best.rate.median) ? a : best), undefined);
  return aggregates
    .filter((a) => BINDINGS.includes(a.tool))
    .map((a) => {
      const rdkafka = fastest(find(a.size, a.role, "rdkafka_performance"), find(a.size, a.role, "rdkafka_performance-poll"));
      const java = find(a.size, a.role, "java");
      return {
        size: a.size,
        role: a.role,
        variant: a.tool,
        vsRdkafka: rdkafka ? a.rate.median / rdkafka.rate.median : null,
        vsJava: java ? a.rate.median / java.rate.median : null,
        likeForLike: a.role === "consume" || a.tool === "binding-nokey",
      };
    });
}

const met = (ratio: number | null, target: number) => (ratio === null ? "n/a" : ratio >= target ? "yes" : "**no**");
const ratioCell = (ratio: number | null) => (ratio === null ? "—" : formatRatio(ratio));

/** The main table: one row per size × role × tool, medians with min–max, plus ratios on binding rows. */
export function resultsTable(aggregates: Aggregate[], comparisons: Comparison[]): Table {
  return {
    headers: ["size", "role", "client", "msgs/s (median)", "min – max", "MB/s", "CPU", "peak RSS", "vs rdkafka_perf", "vs Java"],
    align: ["left", "left", "left", "right", "right", "right", "right", "right", "right", "right"],
    rows: aggregates.map((a) => {
      const c = comparisons.find((x) => x.size === a.size && x.role === a.role && x.variant === a.tool);
      return [
        formatSize(a.size),
        a.role,
        label(a.tool, a.role),
        formatCount(a.rate.median),
        `${formatCount(a.rate.min)} – ${formatCount(a.rate.max)}`,
        ((a.rate.median * a.size) / 1e6).toFixed(1),
        formatSeconds(a.cpuMs.median),
        formatMiB(a.peakRssBytes.median),
        ratioCell(c?.vsRdkafka ?? null),
        ratioCell(c?.vsJava ?? null),
      ];
    }),
  };
}

/** Whether each target is met, per size × role × binding variant. */
export function targetsTable(comparisons: Comparison[]): Table {
  return {
    headers: ["size", "role", "binding", `÷ rdkafka_performance (≥ ${TARGETS.rdkafka_performance.toFixed(2)})`, "met", `÷ Java (≥ ${TARGETS.java.toFixed(2)})`, "met"],
    align: ["left", "left", "left", "right", "left", "right", "left"],
    rows: comparisons.map((c) => [
      formatSize(c.size),
      c.role,
      label(c.variant, c.role),
      ratioCell(c.vsRdkafka),
      c.likeForLike ? met(c.vsRdkafka, TARGETS.rdkafka_performance) : "not like-for-like",
      ratioCell(c.vsJava),
      met(c.vsJava, TARGETS.java),
    ]),
  };
}

export type { Failure } from "../preamble.ts";

/** Everything the markdown report states besides the measurements. */
export type ReportContext = RunContext;

/** The whole report as markdown (reports/bench-kafka.md), ready to link from or paste into the README. */
export function renderReport(measurements: Measurement[], context: ReportContext): string {
  const aggregates = aggregate(measurements);
  const comparisons = compare(aggregates);
  const lines = [
    ...renderPreamble({
      title: "Kafka client benchmark: the Bun binding vs rdkafka_performance vs Java",
      runLine: `Run ${context.startedAt.toISOString()} – ${context.finishedAt.toISOString()} with \`${context.command}\`.`,
      machine: context.machine,
      loadAtEnd: context.loadAtEnd,
      runLoads: measurements.map((m) => m.load1),
      machineNote: "The broker runs on the same machine and competes for the same cores; other work was running too.",
      versions: context.versions,
      settingsTitle: "Settings (identical for every client unless noted)",
      settings: context.settings,
    }),
    "## Results",
    "",
    renderMarkdown(resultsTable(aggregates, comparisons)),
    "",
    "msgs/s is each tool's own figure (see Method); MB/s = msgs/s × value size / 10⁶ (keys not counted);",
    "CPU is user + system time of the whole client process, start-up included; peak RSS from the kernel's rusage.",
    "",
    "## Targets",
    "",
    renderMarkdown(targetsTable(comparisons)),
    "",
    "rdkafka_performance's target applies where the binding does its work: consuming, and producing",
    "without keys with values lent (it can send neither distinct keys nor copies); the keyed and copied",
    "producer rows show what the pipeline's choices cost, and are held to Java's target only.",
    "",
  ];
  lines.push(...renderFailures(context.failures));
  lines.push(
    "## Method",
    "",
    "- Every configuration runs the given number of times; runs of the different clients are interleaved so a",
    "  burst of background load hits all of them alike. Each produce run writes to a fresh topic; consume runs",
    "  read one topic per size, filled once by the binding with keyed messages, each under a fresh group id.",
    "- Produce rate: binding — first `produceBatch` to the last delivery report (`flush`); rdkafka_performance —",
    "  its own figure, first produce to last delivery report; Java — ProducerPerformance's figure, first send",
    "  to `close()`. All include the first metadata and producer-id round trips.",
    "- Consume rate: binding and rdkafka_performance — first message to last; Java — ConsumerPerformance's",
    "  `fetch.nMsg.sec` (subscribe to the end, minus the group join time). rdkafka_performance consumes in",
    "  batches (`-B`, as the binding does) and one message per poll; the binding is compared with the faster.",
    "  Which mode is faster depends on the run's length: a run that fits in what librdkafka prefetches",
    "  (queued.min.messages × partitions, or queued.max.messages.kbytes × partitions) mostly measures the",
    "  drain of that prefetch, where batches win; beyond it the fetcher sets the pace, and there",
    "  rdkafka_performance's batch mode fell to less than half its poll mode.",
    "- Every message's value is the same fixed payload of the given size (upper-case letters), the only",
    "  payload shape all three tools can send; rdkafka_performance and Java send no key (they cannot send",
    "  distinct keys). The binding is measured both keyed (distinct user-id keys, as the pipeline produces)",
    "  and unkeyed (the same workload as the reference tools). The keyed variant spreads every batch over",
    "  all partitions by key hash, while unkeyed messages go to one partition at a time (sticky partitioner).",
    "- Like rdkafka_performance, the binding lends its values to librdkafka (`produceBatch(…, { copy: false })`:",
    "  no copy flag); `binding (no key, copied)` passes RD_KAFKA_MSG_F_COPY instead — one malloc and memcpy",
    "  per message, what the pipeline does because it reuses its buffers.",
    "",
  );
  return lines.join("\n");
}
