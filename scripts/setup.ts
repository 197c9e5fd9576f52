#!/usr/bin/env bun
/**
 * `just setup`: installs everything the pipeline needs into git-ignored folders, skipping
 * whatever is already present. Safe to run again; prints each step with its duration.
 */
import { parseArgs } from "node:util";
import { aptStep } from "../lib/setup/apt.ts";
import { rdkafkaPerformanceStep } from "../lib/setup/bench.ts";
import { runSteps, SetupError, type SetupStep } from "../lib/setup/step.ts";
import { bunInstallStep, emulatorStep, kafkaJarsStep, librdkafkaStep, pythonStep } from "../lib/setup/tools.ts";

const HELP = `Usage: just setup [--force] [--only NAME] [--list]

Installs, skipping what is already present:
  debian packages     librdkafka build deps, Java 17, Maven, Go, python3-venv (as root or via sudo)
  bun install         npm dependencies (frozen lockfile when CI=true)
  librdkafka          2.15 built from @confluentinc/kafka-javascript's bundled sources → .local/librdkafka
  rdkafka_performance librdkafka's benchmark tool (for just bench-kafka) → .local/bin
  kafka jars          Apache Kafka 4.3.1 from Maven Central → .local/kafka/libs
  python venv (dbt)   dbt-core, dbt-duckdb, dbt-bigquery, duckdb, confluent-kafka → .local/venv
  bigquery emulator   goccy/bigquery-emulator v0.8.1 via the Go module proxy → .local/bin

Options:
  --force        run every step again
  --only NAME    run one step (a prefix of its name is enough)
  --list         list the steps and exit
  --quiet, -q    print only the steps that run (used before every recipe)
Exit codes: 0 ready, 1 a step failed (the message names the step and its log).`;

const { values } = parseArgs({
  options: {
    force: { type: "boolean", default: false },
    only: { type: "string" },
    list: { type: "boolean", default: false },
    quiet: { type: "boolean", short: "q", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

let steps: SetupStep[] = [aptStep, bunInstallStep, librdkafkaStep, rdkafkaPerformanceStep, kafkaJarsStep, pythonStep, emulatorStep];
if (values.list) {
  for (const step of steps) console.log(step.name);
  process.exit(0);
}
if (values.only) steps = steps.filter((step) => step.name.startsWith(values.only!));

const started = performance.now();
if (!values.quiet) console.error("==> setup");
let ran: Map<string, number>;
try {
  ran = await runSteps(steps, { force: values.force, quiet: values.quiet });
} catch (error) {
  if (error instanceof SetupError) {
    console.error(`\n${error.message}`);
    process.exit(1);
  }
  throw error;
}
if (!values.quiet || ran.size > 0) console.error(`==> setup done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
