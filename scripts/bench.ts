#!/usr/bin/env bun
/**
 * `just bench`: the pipeline benchmark — producer (CSV → Avro → Kafka) and consumer (Kafka →
 * Parquet) events/s and peak RSS, end-to-end seconds from CSV to a queryable raw table, and dbt
 * build times — each stage run through its own CLI in its own process, on the local stack.
 * Table on stdout, markdown report in reports/bench.md, progress on stderr.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { PRODUCER_DEFAULTS } from "../lib/kafka/producer.ts";
import { paths } from "../lib/paths.ts";
import { stackConfigFromEnv } from "../lib/stack/config.ts";
import { describeMachine } from "../lib/bench/machine.ts";
import { stopRunning } from "../lib/bench/run.ts";
import { renderPlain } from "../lib/bench/table.ts";
import { CommandLog, displayPath } from "../lib/bench/pipeline/commands.ts";
import { csvPath, missingCsvs } from "../lib/bench/pipeline/data.ts";
import { Results } from "../lib/bench/pipeline/metrics.ts";
import {
  dbtRunsFor, e2eRows, estimateSeconds, parseParts, parseSizes, PARTS, PlanUsageError, REFERENCE_ROWS, willRun, type PipelinePlan,
} from "../lib/bench/pipeline/plan.ts";
import { renderReport, resourcesTable, resultsTable, targetsMissed } from "../lib/bench/pipeline/report.ts";
import { runSession } from "../lib/bench/pipeline/session.ts";
import { PipelineTopics } from "../lib/bench/pipeline/topics.ts";
import { pipelineVersions } from "../lib/bench/pipeline/versions.ts";
import { Workspace } from "../lib/bench/pipeline/workspace.ts";

const HELP = `Usage: bun scripts/bench.ts [options]        (just bench)

Benchmarks the pipeline through its own CLIs, each in its own process, on the local stack
(just up): producer and consumer events/s and peak RSS, end-to-end seconds from CSV to a
queryable raw table, and dbt build times (full, then incremental). Medians of --runs runs.

  --runs N                runs per step and size (default 3)
  --sizes LIST            CSV sizes in rows (default ${REFERENCE_ROWS},10000000); generated once into
                          .local/bench/data/ and reused while rows and seed match
  --seed S                generator seed (default 42)
  --skip LIST             parts to leave out: ${PARTS.join(", ")}
  --dbt-runs N            dbt runs per size (default: --runs, but 1 above 1,000,000 rows —
                          a 10M-row build takes minutes)
  --incremental-events N  events added before the incremental dbt build (default 2000)
  --report PATH           markdown report (default reports/bench.md)
  -h, --help              this help

The end-to-end test uses the ${REFERENCE_ROWS}-row size when listed, else the smallest.
Topics (bench-pipeline-*) and folders (.local/bench/bench-pipeline-*) are deleted at the end
and on Ctrl-C; the user's topics and .local/warehouse are never touched.
Exit codes: 0 every run completed (targets met or not), 1 a run failed, 2 usage error.`;

function usage(message: string): never {
  console.error(`${message}\n(see --help)`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      sizes: { type: "string", default: `${REFERENCE_ROWS},10000000` },
      seed: { type: "string", default: "42" },
      skip: { type: "string", default: "" },
      "dbt-runs": { type: "string" },
      "incremental-events": { type: "string", default: "2000" },
      report: { type: "string", default: join(paths.reports, "bench.md") },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (error) {
  usage((error as Error).message);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const positive = (name: string, text: string) => {
  const n = Number(text.replace(/_/g, ""));
  if (!Number.isInteger(n) || n <= 0) usage(`--${name}: "${text}" is not a positive integer`);
  return n;
};
let plan: PipelinePlan;
try {
  plan = {
    sizes: parseSizes(values.sizes),
    runs: positive("runs", values.runs),
    dbtRuns: values["dbt-runs"] === undefined ? undefined : positive("dbt-runs", values["dbt-runs"]),
    seed: Number.isInteger(Number(values.seed)) ? Number(values.seed) : usage(`--seed: "${values.seed}" is not an integer`),
    skip: parseParts(values.skip),
    incrementalEvents: positive("incremental-events", values["incremental-events"]),
    partitions: 6,
  };
} catch (error) {
  if (error instanceof PlanUsageError) usage(error.message);
  throw error;
}

const stack = stackConfigFromEnv();
const endpoints = {
  bootstrap: `${stack.host}:${stack.kafkaPort}`,
  registryUrl: `http://${stack.host}:${stack.registryPort}`,
  registryAuth: process.env.REGISTRY_BASIC_AUTH || undefined,
};
// Every child is pinned to the local stack and warehouse, whatever .env or the shell says.
const commands = new CommandLog({
  KAFKA_CONFIG: "",
  KAFKA_BOOTSTRAP_SERVERS: endpoints.bootstrap,
  SCHEMA_REGISTRY_URL: endpoints.registryUrl,
  SCHEMA_REGISTRY_BASIC_AUTH: endpoints.registryAuth ?? "",
  WAREHOUSE: "local",
});
const topics = new PipelineTopics(endpoints);
try {
  await topics.checkStack();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const startedAt = new Date();
const runId = `bench-pipeline-${startedAt.getTime().toString(36)}`;
const workspace = new Workspace(runId);
const results = new Results();
const machine = describeMachine();

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (interrupted) process.exit(130); // a second Ctrl-C: give up on cleaning up
    interrupted = true;
    console.error(`\n${signal}: stopping the running stage, deleting the benchmark's topics and folders (again to quit at once)`);
    topics.stop();
    await stopRunning();
    await topics.deleteAll();
    workspace.removeAll();
    process.exit(130);
  });
}

const estimate = estimateSeconds(plan, missingCsvs(plan.sizes, plan.seed));
const total = Object.values(estimate).reduce((a, b) => a + b, 0);
const parts = Object.entries(estimate).filter(([, s]) => s > 0).map(([part, s]) => `${part} ${Math.round(s)} s`);
console.error(
  `benchmark ${runId}: sizes ${plan.sizes.map((n) => n.toLocaleString("en-US")).join(", ")}, ${plan.runs} run(s)` +
    `${plan.skip.size ? `, skipping ${[...plan.skip].join(", ")}` : ""}; load ${machine.loadAverage.map((n) => n.toFixed(2)).join(" / ")}\n` +
    `estimated time: ~${Math.ceil(total / 60)} min (${parts.join(", ")}) on an otherwise quiet 2-core machine`,
);

await runSession({ plan, runId, topics, commands, workspace, results, log: (line) => console.error(line) });
topics.close();
workspace.removeAll();

const finishedAt = new Date();
const settings: [string, string][] = [
  ["data", plan.sizes.map((rows) => `\`${displayPath(csvPath(rows, plan.seed))}\` (${rows.toLocaleString("en-US")} rows, scripts/generate.ts --seed ${plan.seed})`).join("; ")],
  ["runs", `${plan.runs} per step and size; dbt: ${plan.sizes.map((rows) => `${dbtRunsFor(plan, rows)} at ${rows.toLocaleString("en-US")} rows`).join(", ")}`],
  ["skipped", plan.skip.size ? [...plan.skip].join(", ") : "nothing"],
  ["stack", `Kafka ${endpoints.bootstrap}, Schema Registry ${endpoints.registryUrl}; every topic ${plan.partitions} partitions, replication factor 1`],
  ["environment of every child", Object.entries(commands.baseEnv).map(([k, v]) => `\`${k}=${v}\``).join(", ") + "; WAREHOUSE_DIR per run (a fresh folder under .local/bench/)"],
  ["producer", `the CLI's defaults, no -X: ${Object.entries(PRODUCER_DEFAULTS).map(([k, v]) => `\`${k}=${v}\``).join(", ")}; key user_id`],
  ["consumer", "the CLI's defaults: flush every 150,000 rows, 32 MB or 5 s, whichever first; local Parquet sink (zstd, fsynced)"],
  ["end-to-end", willRun(plan, "e2e") ? `${e2eRows(plan).toLocaleString("en-US")} rows` : "skipped"],
  ["incremental dbt build", willRun(plan, "incremental") ? `+${plan.incrementalEvents.toLocaleString("en-US")} events (the CSV's last rows, produced again)` : "skipped"],
];
const report = renderReport(results.samples, results.usages, {
  startedAt,
  finishedAt,
  machine,
  loadAtEnd: loadavg() as [number, number, number],
  versions: pipelineVersions(),
  settings,
  command: `bun scripts/bench.ts ${process.argv.slice(2).join(" ")}`.trim(),
  commands: commands.entries(),
  failures: results.failures,
  incrementalEvents: plan.incrementalEvents,
});
mkdirSync(dirname(values.report), { recursive: true });
writeFileSync(values.report, report);

console.log(renderPlain(resultsTable(results.samples, plan.incrementalEvents)));
console.log();
console.log(renderPlain(resourcesTable(results.usages)));
const { missed, judged } = targetsMissed(results.samples);
console.log(
  `\n${judged === 0 ? "no target applies to what ran" : missed.length === 0 ? `all ${judged} targets met` : `${missed.length} of ${judged} targets missed:\n  ${missed.join("\n  ")}`}` +
    `\nload average ${machine.loadAverage.map((n) => n.toFixed(2)).join(" / ")} at the start, ${loadavg().map((n) => n.toFixed(2)).join(" / ")} at the end` +
    ` · ${((finishedAt.getTime() - startedAt.getTime()) / 60_000).toFixed(1)} min · report: ${relative(process.cwd(), values.report)}`,
);
if (results.failures.length > 0) {
  console.error(`${results.failures.length} run(s) failed:\n  ${results.failures.map((f) => `${f.what}: ${f.message.split("\n")[0]}`).join("\n  ")}`);
  process.exit(1);
}
