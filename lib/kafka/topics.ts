import { rd, cstr, NULL, type Pointer } from "./ffi.ts";

/** A producer's handle on one topic. */
export interface TopicHandle {
  name: string;
  rkt: Pointer;
  /** Partitions the delivery reports have shown so far (highest partition + 1; 0 before any). */
  partitions: number;
}

/**
 * A producer's topic handles (rd_kafka_topic_t), created on first use and destroyed together,
 * with each topic's partition count as its delivery reports reveal it: that is all the binding
 * needs to group keyed messages by partition, without a blocking metadata request.
 */
export class TopicHandles {
  private readonly byName = new Map<string, TopicHandle>();
  private readonly byAddress = new Map<number, TopicHandle>();

  get(rk: Pointer, name: string): TopicHandle {
    let topic = this.byName.get(name);
    if (!topic) {
      const rkt = rd().rd_kafka_topic_new(rk, cstr(name), NULL)!;
      topic = { name, rkt, partitions: 0 };
      this.byName.set(name, topic);
      this.byAddress.set(rkt as unknown as number, topic);
    }
    return topic;
  }

  /** A delivery report came from `partition` of the topic whose handle is at `rkt`. */
  sawPartition(rkt: number, partition: number): void {
    const topic = this.byAddress.get(rkt);
    if (topic && partition >= topic.partitions) topic.partitions = partition + 1;
  }

  destroyAll(): void {
    for (const topic of this.byName.values()) rd().rd_kafka_topic_destroy(topic.rkt);
    this.byName.clear();
    this.byAddress.clear();
  }
}
