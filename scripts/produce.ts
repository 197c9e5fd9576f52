#!/usr/bin/env bun
/**
 * `just produce [FILE]`: CSV → validated events → Avro (Confluent wire format, schema from the
 * registry) → Kafka topic `ecom_events`, keyed by user_id. As fast as possible by default;
 * `--rate`/`--replay` pace it for real-time demos.
 */
import { basename, dirname, join } from "node:path";
import { parseCli, usageError } from "../lib/cli/args.ts";
import { stopOnSignals } from "../lib/cli/signals.ts";
import { formatCount, formatDuration, formatInt } from "../lib/cli/format.ts";
import { ProgressReporter } from "../lib/cli/progress.ts";
import { describeSettings, resolveClientSettings } from "../lib/config/client.ts";
import { DEFAULT_TOPIC } from "../lib/events/event.ts";
import { runProducer, type ProduceSummary } from "../lib/produce/run.ts";
import { paths } from "../lib/paths.ts";

const DEFAULT_FILE = join(paths.data, "events.csv");
const HELP = `Usage: just produce [FILE] [options]

Reads FILE (CSV or .csv.gz with the header event_time,event_type,product_id,category_id,
category_code,brand,price,user_id,user_session — columns in any order; default
data/events.csv), validates every row, and produces each valid one to Kafka as Avro, keyed by
user_id (idempotent producer, acks=all, lz4). Invalid rows go to the rejects file with their
line and reason; nothing is dropped silently.

Options:
  -t, --topic NAME         topic (default ${DEFAULT_TOPIC}); created if missing
      --partitions N       partitions when the topic is created (default 6)
      --limit N            produce at most N events
      --dry-run            read, validate and encode only (no registry, no Kafka)
      --rate N             at most N events per second
      --replay X           keep the gaps between event times, X times faster (e.g. 3600)
      --max-rejects N      stop and fail once more than N rows were rejected (default: no limit)
      --rejects PATH       rejects file (default FILE.rejects.csv; written only if rows are rejected)
  -b, --brokers LIST       bootstrap servers (default 127.0.0.1:9092, or KAFKA_BOOTSTRAP_SERVERS)
  -F, --config FILE        client.properties (Confluent Cloud format; also KAFKA_CONFIG)
  -X key=value             any librdkafka property, repeatable (e.g. -X linger.ms=20)
      --connect-timeout S  how long Kafka may take to answer at start (default 10)
  -v, --verbose            print the effective client settings (secrets masked)
  -q, --quiet              no progress line
  -h, --help               this help

Exit codes: 0 every valid row delivered; 1 a delivery failed (or Kafka/registry unusable);
2 bad usage or configuration; 3 bad input: a wrong header, or more rejects than --max-rejects.`;

const { values, positionals } = parseCli("produce", HELP, {
  allowPositionals: true,
  options: {
    topic: { type: "string", short: "t", default: DEFAULT_TOPIC },
    partitions: { type: "string", default: "6" },
    limit: { type: "string" },
    "dry-run": { type: "boolean", default: false },
    rate: { type: "string" },
    replay: { type: "string" },
    "max-rejects": { type: "string" },
    rejects: { type: "string" },
    brokers: { type: "string", short: "b" },
    config: { type: "string", short: "F" },
    X: { type: "string", short: "X", multiple: true, default: [] },
    "connect-timeout": { type: "string", default: "10" },
    verbose: { type: "boolean", short: "v", default: false },
    quiet: { type: "boolean", short: "q", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

function number(name: string, text: string | undefined, { integer = false, min = 0 } = {}): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    usageError("produce", `--${name} ${text}: expected ${integer ? "an integer" : "a number"} ≥ ${min}`);
  }
  return n;
}

const file = positionals[0] ?? DEFAULT_FILE;
let settings;
try {
  settings = resolveClientSettings({ configFile: values.config, bootstrap: values.brokers, overrides: values.X });
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
for (const key of settings.ignored) console.error(`note: ${key} is for the Java client; ignored`);
if (values.verbose) console.error(`client settings:\n${describeSettings(settings)}`);

const stop = stopOnSignals("stopping after this batch; waiting for delivery reports");

const progress = new ProgressReporter({ label: values["dry-run"] ? "encode" : "produce", unit: "events" });
let firstFailures = 0;
let summary: ProduceSummary;
try {
  summary = await runProducer({
    settings,
    file,
    topic: values.topic,
    partitions: number("partitions", values.partitions, { integer: true, min: 1 })!,
    limit: number("limit", values.limit, { integer: true }),
    dryRun: values["dry-run"],
    rate: number("rate", values.rate, { min: 1e-9 }),
    replay: number("replay", values.replay, { min: 1e-9 }),
    maxRejects: number("max-rejects", values["max-rejects"], { integer: true }) ?? Number.POSITIVE_INFINITY,
    rejectsPath: values.rejects ?? join(dirname(file), `${basename(file)}.rejects.csv`),
    connectTimeoutMs: number("connect-timeout", values["connect-timeout"], { min: 0.1 })! * 1000,
    signal: stop,
    onProgress: (p) => {
      if (!values.quiet) progress.update({ rows: p.read, bytes: p.bytesRead, rejects: p.rejected });
    },
    onFailure: (line, error) => {
      if (firstFailures++ < 5) console.error(`${file}:${line}: not delivered: ${error.message}`);
    },
  });
} catch (error) {
  progress.done();
  const err = error as Error;
  console.error(`produce failed: ${err.message}`);
  // A bad header (or an unreadable file) is bad input; everything else is a runtime failure.
  process.exit(/header|column|no such file|ENOENT/i.test(err.message) ? 3 : 1);
}
progress.done();

const s = summary;
const rejectsPath = values.rejects ?? join(dirname(file), `${basename(file)}.rejects.csv`);
console.error(
  `produce: ${formatInt(s.read)} read, ${formatInt(s.delivered)} delivered, ${formatInt(s.rejected)} rejected, ` +
    `${formatInt(s.failed)} failed → ${values["dry-run"] ? "(dry run)" : values.topic} in ${formatDuration(s.seconds)} ` +
    `(${formatCount(s.read / s.seconds)} events/s, ${formatCount(s.bytesProduced / s.seconds / 1e6)} MB/s Avro, schema id ${s.schemaId})`,
);
if (s.rejected > 0) console.error(`rejected rows and reasons: ${rejectsPath}`);
if (s.stoppedBy === "max-rejects") {
  console.error(`stopped: more than ${values["max-rejects"]} rejected rows (--max-rejects)`);
  process.exit(3);
}
if (s.stoppedBy === "signal") console.error("stopped by signal: the rest of the file was not produced");
process.exit(s.failed > 0 ? 1 : 0);
