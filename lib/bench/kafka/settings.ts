import { CONSUMER_DEFAULTS } from "../../kafka/consumer.ts";
import { PRODUCER_DEFAULTS } from "../../kafka/producer.ts";

/**
 * The one set of client settings every tool in the Kafka benchmark gets, and how each tool spells
 * them. The binding is measured as the pipeline runs it (its own defaults), and the other tools are
 * told the same wherever they have the setting.
 */

/** Producer properties with the same name and meaning in librdkafka and the Java client. */
export const PRODUCER_COMMON: Record<string, string> = {
  acks: "all",
  "enable.idempotence": "true",
  "compression.type": "lz4",
  "linger.ms": "5",
  "batch.size": "1000000",
};

/**
 * Everything the librdkafka-based clients (binding and rdkafka_performance) are configured with:
 * the binding's own producer defaults, then the shared settings. Derived rather than copied, so
 * tuning the binding's defaults changes rdkafka_performance's settings too and the comparison
 * stays like for like.
 */
export const PRODUCER_LIBRDKAFKA: Record<string, string> = { ...PRODUCER_DEFAULTS, ...PRODUCER_COMMON };

/** The Java client's nearest equivalent of librdkafka's queue limit: the same number of bytes of record buffers. */
export const PRODUCER_JAVA: Record<string, string> = {
  ...PRODUCER_COMMON,
  "buffer.memory": String(Number(PRODUCER_LIBRDKAFKA["queue.buffering.max.kbytes"] ?? 1_048_576) * 1024),
};

/** Consumer properties with the same name and meaning in librdkafka and the Java client. */
export const CONSUMER_COMMON: Record<string, string> = {
  "auto.offset.reset": "earliest",
  // No commits at all: every run reads the pre-filled topic from the start under a fresh group,
  // and leaves no offsets behind.
  "enable.auto.commit": "false",
  "fetch.max.bytes": "104857600",
  "max.partition.fetch.bytes": "1048576",
};

/** Consumer settings of the librdkafka-based clients: the binding's consumer defaults, then the shared settings. */
export const CONSUMER_LIBRDKAFKA: Record<string, string> = { ...CONSUMER_DEFAULTS, ...CONSUMER_COMMON };

/** Messages per produceBatch call (binding) and per consume batch (binding, rdkafka_performance -B, Java max.poll.records). */
export const BATCH_SIZE = 10_000;

/** The Java client's batch size for the consumer side. */
export const CONSUMER_JAVA: Record<string, string> = {
  ...CONSUMER_COMMON,
  "max.poll.records": String(BATCH_SIZE),
};

/**
 * JVM flags of Kafka's own kafka-run-class.sh (KAFKA_JVM_PERFORMANCE_OPTS), with a larger heap
 * than its perf-test scripts' -Xmx512M: buffer.memory above must fit in the heap.
 */
export const JVM_FLAGS = [
  "-Xmx2g",
  "-server",
  "-XX:+UseG1GC",
  "-XX:MaxGCPauseMillis=20",
  "-XX:InitiatingHeapOccupancyPercent=35",
  "-XX:+ExplicitGCInvokesConcurrent",
  "-XX:MaxInlineLevel=15",
  "-Djava.awt.headless=true",
];

/**
 * Default message count for a message size: about three times what librdkafka prefetches for
 * the 6-partition topic under CONSUMER_LIBRDKAFKA (200k messages or 64 MB a partition: 1.2M of
 * 100 B, ~375k of 1 KiB), so that a consume run measures the steady state rather than the drain
 * of a prefetched queue. With 1M of 100 B and 300k of 1 KiB (0.1–0.4 s runs) every consumer
 * read mostly prefetched messages and the results swung by ±25% from run to run.
 */
export function defaultMessages(size: number): number {
  return size < 1024 ? 3_000_000 : 1_000_000;
}

/** `key=value` pairs, for -X flags and Java's --command-property. */
export const pairs = (props: Record<string, string>): string[] => Object.entries(props).map(([k, v]) => `${k}=${v}`);
