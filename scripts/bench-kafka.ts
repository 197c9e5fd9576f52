#!/usr/bin/env bun
/**
 * `just bench-kafka`: produce and consume throughput of the Bun binding (lib/kafka) against
 * librdkafka's rdkafka_performance and Kafka's Java perf-test tools, on the local broker.
 * Table on stdout, markdown report in reports/bench-kafka.md, progress on stderr.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { paths } from "../lib/paths.ts";
import { stackConfigFromEnv } from "../lib/stack/config.ts";
import { describeMachine } from "../lib/bench/machine.ts";
import { renderPlain } from "../lib/bench/table.ts";
import { killRunning } from "../lib/bench/run.ts";
import { formatSize } from "../lib/bench/format.ts";
import { BenchTopics } from "../lib/bench/topics.ts";
import { runSession } from "../lib/bench/kafka/session.ts";
import { benchVersions } from "../lib/bench/kafka/versions.ts";
import { defaultMessages } from "../lib/bench/kafka/settings.ts";
import { describeSettings } from "../lib/bench/kafka/describe.ts";
import { aggregate, compare, missesTarget, renderReport, resultsTable, targetsTable } from "../lib/bench/kafka/report.ts";
import type { Role, Tool } from "../lib/bench/kafka/measurement.ts";

const ALL_TOOLS: Tool[] = ["binding", "binding-nokey", "binding-copy", "rdkafka_performance", "rdkafka_performance-poll", "java"];
const HELP = `Usage: bun scripts/bench-kafka.ts [options]

Produce and consume msgs/s and MB/s of the Bun binding (lib/kafka) vs librdkafka's
rdkafka_performance vs Kafka's Java perf-test tools, on the same broker with the same settings.

  --runs N            runs per configuration, medians reported (default 3)
  --sizes LIST        value sizes in bytes (default 100,1024)
  --messages N[,N…]   messages per run: one number for every size, or one per size
                      (default 3000000 for sizes < 1024 B, 1000000 otherwise: about three
                      times what librdkafka prefetches, so consumers are measured in steady state)
  --roles LIST        produce,consume (default both)
  --tools LIST        any of ${ALL_TOOLS.join(",")} (default all;
                      binding-nokey is the binding producing without keys, like the others;
                      binding-copy the same with values copied into librdkafka (F_COPY, as
                      the pipeline produces) instead of lent (as rdkafka_performance does);
                      rdkafka_performance-poll consumes one message per poll instead of in
                      batches — the binding is compared with the faster of the two)
  -b, --bootstrap H:P broker (default 127.0.0.1:$KAFKA_PORT, the local stack: just up kafka)
  -X key=value        extra librdkafka property for the binding and rdkafka_performance (repeatable;
                      for experiments — the report lists them)
  --report PATH       markdown report (default reports/bench-kafka.md)
  -h, --help          this help

Needs: a running broker, .local/bin/rdkafka_performance and the Kafka jars (just setup).
Exit codes: 0 all runs completed (targets missed or not), 1 a run failed, 2 usage error.`;

function usage(message: string): never {
  console.error(`${message}\n(see --help)`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    sizes: { type: "string", default: "100,1024" },
    messages: { type: "string" },
    roles: { type: "string", default: "produce,consume" },
    tools: { type: "string", default: ALL_TOOLS.join(",") },
    bootstrap: { type: "string", short: "b" },
    X: { type: "string", short: "X", multiple: true, default: [] },
    report: { type: "string", default: join(paths.reports, "bench-kafka.md") },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const positiveInts = (text: string, what: string) =>
  text.split(",").map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n <= 0) usage(`--${what}: "${s}" is not a positive integer`);
    return n;
  });
const runs = positiveInts(values.runs, "runs")[0]!;
const sizes = positiveInts(values.sizes, "sizes");
const counts = values.messages ? positiveInts(values.messages, "messages") : sizes.map(defaultMessages);
if (counts.length !== 1 && counts.length !== sizes.length) usage(`--messages: give one count, or ${sizes.length} (one per size)`);
const messagesFor = (i: number) => (counts.length === 1 ? counts[0]! : counts[i]!);
const tools = values.tools.split(",").map((t) => t.trim()) as Tool[];
for (const t of tools) if (!ALL_TOOLS.includes(t)) usage(`--tools: unknown tool "${t}" (expected ${ALL_TOOLS.join(", ")})`);
const roles = values.roles.split(",").map((r) => r.trim()) as Role[];
for (const r of roles) if (r !== "produce" && r !== "consume") usage(`--roles: unknown role "${r}" (expected produce, consume)`);
const overrides: Record<string, string> = {};
for (const pair of values.X) {
  const eq = pair.indexOf("=");
  if (eq <= 0) usage(`-X ${pair}: expected key=value`);
  overrides[pair.slice(0, eq)] = pair.slice(eq + 1);
}
const stack = stackConfigFromEnv();
const bootstrap = values.bootstrap ?? `${stack.host}:${stack.kafkaPort}`;
const PARTITIONS = 6;

if (tools.some((t) => t.startsWith("rdkafka_performance")) && !existsSync(paths.rdkafkaPerformance)) {
  console.error(`${paths.rdkafkaPerformance} is missing: run \`just setup\` (step rdkafka_performance)`);
  process.exit(1);
}
if (tools.includes("java") && !existsSync(paths.kafkaLibs)) {
  console.error(`${paths.kafkaLibs} is missing: run \`just setup\` (step kafka jars)`);
  process.exit(1);
}

const topics = new BenchTopics(bootstrap);
try {
  topics.checkBroker();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
process.on("SIGINT", async () => {
  console.error("\ninterrupted: stopping the running client, deleting the benchmark's topics");
  killRunning();
  await topics.deleteAll();
  process.exit(130);
});

const startedAt = new Date();
const machine = describeMachine();
const runId = `bench-kafka-${startedAt.getTime().toString(36)}`;
const messages = sizes.map((_, i) => messagesFor(i));
console.error(`benchmark ${runId}: ${runs} run(s), sizes ${sizes.map(formatSize).join(", ")}, tools ${tools.join(", ")}, broker ${bootstrap}`);
const { measurements, failures } = await runSession(
  { bootstrap, partitions: PARTITIONS, runs, sizes, messages, roles, tools, librdkafkaOverrides: overrides, runId },
  topics,
  (line) => console.error(line),
);
topics.close();

const aggregates = measurements.length ? aggregate(measurements) : [];
const comparisons = compare(aggregates);
const command = `bun scripts/bench-kafka.ts ${process.argv.slice(2).join(" ")}`.trim();
const report = renderReport(measurements, {
  startedAt,
  finishedAt: new Date(),
  machine,
  loadAtEnd: loadavg() as [number, number, number],
  versions: benchVersions(),
  settings: describeSettings({ bootstrap, partitions: PARTITIONS, runs, sizes, messages, overrides }),
  command,
  failures,
});
mkdirSync(dirname(values.report), { recursive: true });
writeFileSync(values.report, report);

console.log(renderPlain(resultsTable(aggregates, comparisons)));
console.log();
console.log(renderPlain(targetsTable(comparisons)));
const missed = comparisons.filter(missesTarget);
console.log(`\n${missed.length === 0 ? "all targets met" : `${missed.length} of ${comparisons.length} comparisons miss a target`}; report: ${relative(process.cwd(), values.report)}`);
if (failures.length > 0) {
  console.error(`${failures.length} run(s) failed:\n  ${failures.map((f) => `${f.what}: ${f.message.split("\n")[0]}`).join("\n  ")}`);
  process.exit(1);
}
