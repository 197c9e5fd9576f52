import { formatCount, formatSize } from "../format.ts";
import { RDKAFKA_PERFORMANCE_RESET } from "./tools.ts";
import {
  BATCH_SIZE, CONSUMER_COMMON, CONSUMER_JAVA, CONSUMER_LIBRDKAFKA, JVM_FLAGS, PRODUCER_COMMON, PRODUCER_JAVA,
  PRODUCER_LIBRDKAFKA, pairs,
} from "./settings.ts";

export interface RunShape {
  bootstrap: string;
  partitions: number;
  runs: number;
  sizes: number[];
  /** Messages per run, one per size. */
  messages: number[];
  overrides: Record<string, string>;
}

const list = (props: Record<string, string>) => pairs(props).map((p) => `\`${p}\``).join(", ");

/** The exact settings of a benchmark run, as "name: value" lines for the report. */
export function describeSettings(shape: RunShape): [string, string][] {
  const settings: [string, string][] = [
    ["broker", `${shape.bootstrap} (local single-node KRaft stack), topics with ${shape.partitions} partitions, replication factor 1`],
    ["messages per run", shape.sizes.map((s, i) => `${formatCount(shape.messages[i]!)} × ${formatSize(s)}`).join("; ")],
    ["runs per configuration", String(shape.runs)],
    ["producer, all clients", list(PRODUCER_COMMON)],
    ["producer, librdkafka clients (the binding's PRODUCER_DEFAULTS + the above)", list(PRODUCER_LIBRDKAFKA)],
    ["producer, Java", list(PRODUCER_JAVA)],
    [
      "producer calls",
      `binding: \`Producer.produceBatch\` of ${formatCount(BATCH_SIZE)} pre-built messages per call (one \`rd_kafka_produce_batch\`, ` +
        "values lent — no copy flag —, except binding-copy: RD_KAFKA_MSG_F_COPY); rdkafka_performance: one `rd_kafka_produce` per message on one shared buffer (no copy flag); " +
        "Java: one `send()` per record",
    ],
    ["consumer, all clients", list(CONSUMER_COMMON)],
    ["consumer, librdkafka clients (the binding's CONSUMER_DEFAULTS + the above)", list(CONSUMER_LIBRDKAFKA)],
    ["consumer, Java", list(CONSUMER_JAVA)],
    [
      "consumer batch",
      `binding: \`Consumer.consumeMessageBatch(${formatCount(BATCH_SIZE)})\` (what the pipeline uses: one \`rd_kafka_consume_batch_queue\` ` +
        `and one glue call per batch, keys and values copied into one reused JS buffer — \`reuseBuffers: true\` —, no object per message); rdkafka_performance: \`-G <group> -B ${BATCH_SIZE}\` (\`rd_kafka_consume_batch_queue\`, payloads not copied), ` +
        `and rdkafka_performance (poll): \`-G <group>\` (one \`rd_kafka_consumer_poll\` per message); ` +
        `Java: \`poll()\` of up to ${formatCount(BATCH_SIZE)} records`,
    ],
    ["rdkafka_performance built-in settings reset to librdkafka defaults", list(RDKAFKA_PERFORMANCE_RESET)],
    ["JVM (Java tools)", JVM_FLAGS.map((f) => `\`${f}\``).join(" ")],
  ];
  if (Object.keys(shape.overrides).length > 0) {
    settings.push(["extra librdkafka properties (-X, binding and rdkafka_performance only)", list(shape.overrides)]);
  }
  return settings;
}
