import type { MessagePosition } from "./batch.ts";
import type { TopicPartition } from "./events.ts";

/** Position and lag of one assigned partition. `lag` is null until the high watermark is known. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** Next offset the application will see. */
  position: number;
  highWatermark: number;
  lag: number | null;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * What this group member owns and how far it has read in each partition: the basis of
 * `lag()`, `caughtUp()` and of refusing to store offsets for partitions it no longer owns.
 */
export class Assignment {
  private readonly partitions = new Map<string, { topic: string; partition: number; position: number }>();

  /** Partitions joined, each resuming at `position` (its committed offset, or -1001 when none). */
  add(partition: TopicPartition, position: number): void {
    this.partitions.set(key(partition.topic, partition.partition), { topic: partition.topic, partition: partition.partition, position });
  }

  remove(partitions: TopicPartition[]): void {
    for (const { topic, partition } of partitions) this.partitions.delete(key(topic, partition));
  }

  owns(topic: string, partition: number): boolean {
    return this.partitions.has(key(topic, partition));
  }

  /** Moves positions past the last offsets the application was handed. */
  advance(last: MessagePosition[]): void {
    for (const { topic, partition, offset } of last) {
      const state = this.partitions.get(key(topic, partition));
      if (state && offset + 1 > state.position) state.position = offset + 1;
    }
  }

  list(): TopicPartition[] {
    return [...this.partitions.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  /**
   * Lag per partition, given each one's cached low and high watermarks. Nothing read or
   * committed yet: with auto.offset.reset=earliest the member starts at `low`.
   */
  lag(watermarks: (topic: string, partition: number) => { low: number; high: number } | null): PartitionLag[] {
    return [...this.partitions.values()].map(({ topic, partition, position }) => {
      const marks = watermarks(topic, partition);
      const high = marks?.high ?? -1;
      const from = position >= 0 ? position : Math.max(marks?.low ?? 0, 0);
      return { topic, partition, position: from, highWatermark: high, lag: high >= 0 ? Math.max(0, high - from) : null };
    });
  }
}

/** Per topic-partition, the offset after the highest of `messages`: what to store for them. */
export function nextOffsets(messages: MessagePosition[]): TopicPartition[] {
  const next = new Map<string, TopicPartition>();
  for (const m of messages) {
    const k = key(m.topic, m.partition);
    const current = next.get(k);
    if (!current || m.offset + 1 > current.offset!) next.set(k, { topic: m.topic, partition: m.partition, offset: m.offset + 1 });
  }
  return [...next.values()];
}
