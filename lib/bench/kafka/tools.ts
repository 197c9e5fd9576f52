import { readFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../../paths.ts";
import { runCommand, type CommandResult } from "../run.ts";
import type { DriverResult, DriverSpec } from "./binding-driver.ts";
import { BINDINGS, IncompleteRunError, UnparsableOutputError, type Measurement, type RunSpec, type Tool } from "./measurement.ts";
import {
  BATCH_SIZE, CONSUMER_COMMON, CONSUMER_JAVA, CONSUMER_LIBRDKAFKA, JVM_FLAGS, PRODUCER_COMMON, PRODUCER_JAVA,
  PRODUCER_LIBRDKAFKA, pairs,
} from "./settings.ts";

const RUN_TIMEOUT_MS = 300_000;
const DRIVER = join(import.meta.dir, "binding-driver.ts");

/**
 * rdkafka_performance hard-codes a few non-default settings before parsing -X (linger.ms=1000,
 * 3 retries 500 ms apart, queued.min.messages=1M, session.timeout.ms=6000). The shared settings
 * override linger and the queue; these put the rest back to librdkafka's defaults, which is what
 * the binding runs with.
 */
export const RDKAFKA_PERFORMANCE_RESET: Record<string, string> = {
  "message.send.max.retries": "2147483647",
  "retry.backoff.ms": "100",
  "session.timeout.ms": "45000",
};

type Outcome = Omit<Measurement, "load1">;

const base = (tool: Tool, spec: RunSpec, run: CommandResult) => ({
  tool,
  role: spec.role,
  size: spec.size,
  wallMs: run.wallMs,
  cpuMs: run.cpuMs,
  peakRssBytes: run.peakRssBytes,
});

/** The binding, through lib/bench/kafka/binding-driver.ts in a fresh Bun process. */
async function runBinding(tool: Tool, spec: RunSpec): Promise<Outcome> {
  const shared = spec.role === "produce" ? PRODUCER_LIBRDKAFKA : CONSUMER_LIBRDKAFKA;
  const driverSpec: DriverSpec = {
    mode: spec.role,
    bootstrap: spec.bootstrap,
    topic: spec.topic,
    messages: spec.messages,
    size: spec.size,
    keys: tool === "binding",
    copy: tool === "binding-copy",
    groupId: spec.groupId,
    config: { ...shared, ...spec.librdkafkaOverrides },
  };
  const run = await runCommand([process.execPath, DRIVER, JSON.stringify(driverSpec)], { timeoutMs: RUN_TIMEOUT_MS });
  const line = run.stdout.trim().split("\n").at(-1) ?? "";
  let result: DriverResult;
  try {
    result = JSON.parse(line) as DriverResult;
  } catch {
    throw new UnparsableOutputError(tool, "a JSON result line", run.stdout + run.stderr);
  }
  if (result.messages !== spec.messages) throw new IncompleteRunError(tool, spec.messages, result.messages);
  return {
    ...base(tool, spec, run),
    messages: result.messages,
    elapsedMs: result.elapsedMs,
    msgsPerSec: (result.messages * 1000) / result.elapsedMs,
    detail: result.phases,
  };
}

/** librdkafka's examples/rdkafka_performance, built by `just setup` (lib/setup/bench.ts). */
async function runRdkafkaPerformance(tool: "rdkafka_performance" | "rdkafka_performance-poll", spec: RunSpec): Promise<Outcome> {
  const x = (props: Record<string, string>) => pairs(props).flatMap((p) => ["-X", p]);
  const common = ["-t", spec.topic, "-b", spec.bootstrap, "-c", String(spec.messages), "-q"];
  const cmd =
    spec.role === "produce"
      ? [
          paths.rdkafkaPerformance, "-P", ...common, "-s", String(spec.size),
          "-m", readFileSync(spec.payloadFile, "latin1"), "-z", PRODUCER_COMMON["compression.type"]!,
          ...x({ ...RDKAFKA_PERFORMANCE_RESET, ...PRODUCER_LIBRDKAFKA, ...spec.librdkafkaOverrides }),
        ]
      : [
          paths.rdkafkaPerformance, "-G", spec.groupId, ...common, ...(tool === "rdkafka_performance" ? ["-B", String(BATCH_SIZE)] : []),
          ...x({ ...RDKAFKA_PERFORMANCE_RESET, ...CONSUMER_LIBRDKAFKA, ...spec.librdkafkaOverrides }),
        ];
  const run = await runCommand(cmd, { timeoutMs: RUN_TIMEOUT_MS });
  const out = run.stdout;
  if (spec.role === "produce") {
    // "% 1000000 messages produced (100000000 bytes), 1000000 delivered (offset 38173, 0 failed) in 1151ms: 868435 msgs/s and 86.84 MB/s, …"
    const m = /% (\d+) messages produced \(\d+ bytes\), (\d+) delivered \(offset -?\d+, (\d+) failed\) in (\d+)ms: (\d+) msgs\/s/.exec(out);
    if (!m) throw new UnparsableOutputError(tool, "its '% N messages produced …' summary", out + run.stderr);
    const delivered = Number(m[2]);
    if (delivered !== spec.messages || Number(m[3]) > 0) throw new IncompleteRunError(tool, spec.messages, delivered, `${m[3]} failed`);
    return { ...base(tool, spec, run), messages: delivered, elapsedMs: Number(m[4]), msgsPerSec: Number(m[5]) };
  }
  // "% 1000000 messages (100000000 bytes) consumed in 342ms: 2919401 msgs/s (291.94 MB/s)"
  const m = /% (\d+) messages \(\d+ bytes\) consumed in (\d+)ms: (\d+) msgs\/s/.exec(out);
  if (!m) throw new UnparsableOutputError(tool, "its '% N messages … consumed' summary", out + run.stderr);
  const consumed = Number(m[1]);
  if (consumed !== spec.messages) throw new IncompleteRunError(tool, spec.messages, consumed);
  return { ...base(tool, spec, run), messages: consumed, elapsedMs: Number(m[2]), msgsPerSec: Number(m[3]) };
}

/** The first exception line a Java tool printed, to say why records went missing. */
const firstException = (output: string) => /^\S*(Exception|Error)\b.*$/m.exec(output)?.[0] ?? "no exception printed";

/** The Java command line of a Kafka tools class, as kafka-run-class.sh would start it. */
export function javaCommand(mainClass: string, args: string[]): string[] {
  return [
    "java", ...JVM_FLAGS, `-Dlog4j2.configurationFile=${join(paths.stackFiles, "kafka", "log4j2.yaml")}`,
    "-cp", `${paths.kafkaLibs}/*`, mainClass, ...args,
  ];
}

/** kafka-producer-perf-test / kafka-consumer-perf-test (org.apache.kafka.tools, kafka-tools 4.3.1). */
async function runJava(spec: RunSpec): Promise<Outcome> {
  const tool = "java";
  if (spec.role === "produce") {
    const run = await runCommand(javaCommand("org.apache.kafka.tools.ProducerPerformance", [
      "--bootstrap-server", spec.bootstrap, "--topic", spec.topic, "--num-records", String(spec.messages),
      "--payload-file", spec.payloadFile, "--throughput", "-1",
      // nargs "+": must come last.
      "--command-property", ...pairs(PRODUCER_JAVA),
    ]), { timeoutMs: RUN_TIMEOUT_MS });
    // "1000000 records sent, 304878.048780 records/sec (29.08 MB/sec), 20.14 ms avg latency, …"
    const m = /(\d+) records sent, ([\d.]+) records\/sec/.exec(run.stdout);
    if (!m) throw new UnparsableOutputError(tool, "its 'N records sent, R records/sec' summary", run.stdout + run.stderr);
    const sent = Number(m[1]);
    // Failed sends are not counted; their stack traces go to stderr.
    if (sent !== spec.messages) throw new IncompleteRunError(tool, spec.messages, sent, firstException(run.stderr + run.stdout));
    const rate = Number(m[2]);
    return { ...base(tool, spec, run), messages: sent, elapsedMs: (sent * 1000) / rate, msgsPerSec: rate };
  }
  const run = await runCommand(javaCommand("org.apache.kafka.tools.ConsumerPerformance", [
    "--bootstrap-server", spec.bootstrap, "--topic", spec.topic, "--num-records", String(spec.messages),
    "--group", spec.groupId, "--hide-header", "--timeout", "30000", "--fetch-size", CONSUMER_COMMON["max.partition.fetch.bytes"]!,
    "--command-property", ...pairs(CONSUMER_JAVA),
  ]), { timeoutMs: RUN_TIMEOUT_MS });
  if (run.stdout.includes("WARNING: Exiting before consuming")) {
    throw new IncompleteRunError(tool, spec.messages, Number.NaN, "timed out waiting for records");
  }
  // start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const line = run.stdout.trim().split("\n").reverse().find((l) => l.split(",").length === 10);
  if (!line) throw new UnparsableOutputError(tool, "its 10-field CSV result line", run.stdout + run.stderr);
  const fields = line.split(",").map((f) => f.trim());
  const consumed = Number(fields[4]);
  if (consumed !== spec.messages) throw new IncompleteRunError(tool, spec.messages, consumed);
  return {
    ...base(tool, spec, run),
    messages: consumed,
    elapsedMs: Number(fields[7]),
    msgsPerSec: Number(fields[9]),
    detail: { rebalanceMs: Number(fields[6]) },
  };
}

/** Runs one tool once; throws CommandFailedError, UnparsableOutputError or IncompleteRunError. */
export function runTool(tool: Tool, spec: RunSpec): Promise<Outcome> {
  if (BINDINGS.includes(tool)) return runBinding(tool, spec);
  if (tool === "rdkafka_performance" || tool === "rdkafka_performance-poll") return runRdkafkaPerformance(tool, spec);
  return runJava(spec);
}
