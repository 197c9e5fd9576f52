import type { KafkaConfig } from "./config.ts";
import { OFFSET_BEGINNING, OFFSET_END } from "./layout.ts";
import type { KafkaError } from "./errors.ts";
import type { TopicPartition } from "./events.ts";
import type { LogLine } from "./log.ts";
import type { MessageError } from "./batch.ts";

/** How a Consumer is set up: its options, and the librdkafka defaults it starts from. */
export interface ConsumerOptions {
  /** Raw librdkafka properties; must contain `group.id`. Consumer defaults below apply first. */
  config: KafkaConfig;
  sources?: Record<string, string>;
  /** Read message headers too (costs one native call per message). */
  headers?: boolean;
  /**
   * Reuse one buffer for every batch: a batch's bytes and metadata (and the key/value views of
   * consumeBatch's objects) are then valid only until the next consume call. Faster for large
   * messages; default false — each batch owns its copies.
   */
  reuseBuffers?: boolean;
  /** Called after partitions are assigned (and before their first message is returned). */
  onAssign?: (partitions: TopicPartition[]) => void | Promise<void>;
  /**
   * Called before partitions are taken away: flush whatever you buffered and store its offsets;
   * stored offsets are committed right after the hook resolves, then the partitions are released.
   * Not called when the assignment was lost (session timeout) — committing then is unsafe.
   */
  onRevoke?: (partitions: TopicPartition[]) => void | Promise<void>;
  onError?: (error: KafkaError | MessageError) => void;
  onStats?: (json: string) => void;
  /** librdkafka's log lines (default: errors on stderr, deduplicated; everything with `debug`). */
  onLog?: (line: LogLine) => void;
}

/**
 * At-least-once defaults: start at the earliest offset when the group has none, and commit only
 * offsets the application stored after its sink made the data durable (auto-commit then only
 * ever commits stored offsets — never ahead of the sink).
 */
export const CONSUMER_DEFAULTS: KafkaConfig = {
  "auto.offset.reset": "earliest",
  "enable.auto.offset.store": "false",
  "enable.auto.commit": "true",
  "auto.commit.interval.ms": "1000",
  "enable.partition.eof": "false",
  "queued.min.messages": "200000",
  "fetch.max.bytes": "104857600",
  // When the prefetch queue is full librdkafka pauses fetching for this long (default 1000 ms).
  // A batch consumer empties the queue in one call, so the default starved it: 885k messages
  // took 2.7 s to consume with it and 0.67 s with 5 ms (6 partitions, local broker).
  "fetch.queue.backoff.ms": "5",
};

/**
 * The logical offset a partition without a committed offset starts at, as auto.offset.reset
 * (`config`'s, else the default) says; undefined for `error`, which librdkafka reports itself.
 */
export function resetOffset(config: KafkaConfig): number | undefined {
  const setting = config["auto.offset.reset"] ?? CONSUMER_DEFAULTS["auto.offset.reset"];
  if (setting === "earliest" || setting === "smallest" || setting === "beginning") return OFFSET_BEGINNING;
  if (setting === "latest" || setting === "largest" || setting === "end") return OFFSET_END;
  return undefined;
}
