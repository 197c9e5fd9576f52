import { existsSync, readdirSync } from "node:fs";
import { paths } from "../../paths.ts";
import { librdkafkaInfo } from "../../kafka/ffi.ts";
import { commandVersion } from "../machine.ts";
import { RDKAFKA_PERFORMANCE_SOURCE } from "../../setup/bench.ts";

const jarVersion = (prefix: string) => {
  if (!existsSync(paths.kafkaLibs)) return "not installed (just setup)";
  const jar = readdirSync(paths.kafkaLibs).find((f) => f.startsWith(prefix) && f.endsWith(".jar"));
  return jar ? jar.slice(prefix.length, -".jar".length) : "not found";
};

/** Versions of everything the Kafka benchmark ran, for the report. */
export function benchVersions(): Record<string, string> {
  const rdkafka = librdkafkaInfo();
  const perfBanner = existsSync(paths.rdkafkaPerformance)
    ? /librdkafka version (\S+)/.exec(Bun.spawnSync([paths.rdkafkaPerformance, "-h"], { stdout: "pipe", stderr: "pipe" }).stderr.toString())?.[1] ?? "unknown"
    : "not built";
  return {
    Bun: Bun.version,
    "librdkafka (binding, via bun:ffi)": `${rdkafka.version} (${rdkafka.path})`,
    rdkafka_performance: `${RDKAFKA_PERFORMANCE_SOURCE}, linked against librdkafka ${perfBanner}`,
    Java: commandVersion(["java", "-version"]),
    "Kafka broker and perf tools": `Apache Kafka ${jarVersion("kafka_2.13-")} (broker), kafka-tools ${jarVersion("kafka-tools-")}`,
  };
}
