import { rd, cstr, int64At, NULL, EVENT, OFFSET_INVALID, RD_KAFKA_CONSUMER, type Pointer } from "./ffi.ts";
import { buildConf, newHandle } from "./config.ts";
import { check, checkErrorObject, ClientClosedError, ErrorCode, KafkaError } from "./errors.ts";
import {
  buildTopicPartitionList, destroyTopicPartitionList, drainQueue, errorFromEvent, eventMessages,
  readTopicPartitionList, statsFromEvent, type TopicPartition,
} from "./events.ts";
import { defaultLogHandler, logFromEvent, type LogLine } from "./log.ts";
import { Assignment, nextOffsets, type PartitionLag } from "./assignment.ts";
import { BatchBuffers, MessageBatch, takeBatch } from "./batch.ts";
import type { ConsumedMessage } from "./message.ts";
import { CONSUMER_DEFAULTS, resetOffset, type ConsumerOptions } from "./consumer-options.ts";

export type { PartitionLag } from "./assignment.ts";
export { CONSUMER_DEFAULTS, type ConsumerOptions } from "./consumer-options.ts";

const MAX_BATCH = 100_000;

/**
 * A group consumer that hands the application whole batches: messages of assigned partitions
 * are forwarded to a private queue drained with one `rd_kafka_consume_batch_queue` call per
 * batch, while rebalances, errors and statistics arrive as events on the consumer queue. Event
 * polls never block; waiting for messages blocks at most 1 ms at a time, and the event loop
 * runs between waits.
 */
export class Consumer {
  private rk: Pointer | null;
  private readonly consumerQueue: Pointer;
  private readonly messageQueue: Pointer;
  private readonly words = new Uint32Array(2 * MAX_BATCH);
  private readonly buffers: BatchBuffers | undefined;
  private readonly pendingRebalances: { assign: boolean; partitions: TopicPartition[] }[] = [];
  private readonly fallback: MessageBatch[] = [];
  private readonly assigned = new Assignment();
  private fatal: KafkaError | null = null;
  private readonly log: (line: LogLine) => void;

  constructor(private readonly options: ConsumerOptions) {
    if (!options.config["group.id"]) throw new KafkaError(ErrorCode._FATAL, "consumer config needs group.id");
    if (options.reuseBuffers) this.buffers = new BatchBuffers();
    const conf = buildConf(
      { ...CONSUMER_DEFAULTS, ...options.config },
      EVENT.REBALANCE | EVENT.ERROR | EVENT.LOG | (options.onStats ? EVENT.STATS : 0),
      options.sources,
    );
    const lib = rd();
    this.rk = newHandle(RD_KAFKA_CONSUMER, conf);
    check(lib.rd_kafka_poll_set_consumer(this.rk), "poll_set_consumer");
    this.consumerQueue = lib.rd_kafka_queue_get_consumer(this.rk)!;
    this.messageQueue = lib.rd_kafka_queue_new(this.rk)!;
    this.log = options.onLog ?? defaultLogHandler(options.config);
  }

  private open(): Pointer {
    if (!this.rk) throw new ClientClosedError("consumer");
    if (this.fatal) throw this.fatal;
    return this.rk;
  }

  /** Joins the group for these topics (replacing any previous subscription). */
  subscribe(topics: string[]): void {
    const list = buildTopicPartitionList(topics.map((topic) => ({ topic, partition: -1 })));
    try {
      check(rd().rd_kafka_subscribe(this.open(), list), `subscribe to ${topics.join(", ")}`);
    } finally {
      destroyTopicPartitionList(list);
    }
  }

  /**
   * Up to `max` messages as objects, as soon as at least one is available or after `timeoutMs`
   * (then maybe none). See consumeMessageBatch for the allocation-free form.
   */
  async consumeBatch(max = 10_000, timeoutMs = 1_000): Promise<ConsumedMessage[]> {
    return (await this.consumeMessageBatch(max, timeoutMs)).toArray();
  }

  /**
   * Up to `max` messages as one flat MessageBatch — one native call copies them all — as soon
   * as at least one is available or after `timeoutMs` (then maybe empty). Rebalances are served
   * first, including the `onRevoke` hook. The bytes are copies owned by the caller.
   */
  async consumeMessageBatch(max = 10_000, timeoutMs = 1_000): Promise<MessageBatch> {
    const deadline = performance.now() + timeoutMs;
    const limit = Math.min(max, MAX_BATCH);
    const started = performance.now();
    for (let waitMs = 0; ; waitMs = this.nextWait(started, deadline)) {
      await this.serveEvents();
      this.open();
      // Messages that arrived as events before partition forwarding was in place come first.
      const early = this.fallback.shift();
      if (early) {
        this.advance(early);
        return early;
      }
      const n = rd().rd_kafka_consume_batch_queue(this.messageQueue, waitMs, this.words, limit);
      if (n < 0) throw new KafkaError(ErrorCode._FATAL, "consume_batch_queue failed");
      if (n > 0) {
        const { batch, errors } = takeBatch(this.words, n, { headers: this.options.headers, reuse: this.buffers });
        for (const error of errors) this.options.onError?.(error);
        if (batch.length > 0) {
          this.advance(batch);
          return batch;
        }
      }
      const left = deadline - performance.now();
      if (left <= 0) return takeBatch(this.words, 0).batch;
      if (waitMs > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * How long the next wait for messages may block, inside librdkafka, which returns the moment
   * messages arrive (sleeping 2 ms in JS instead left the consumer idle between fetches: 1 KiB
   * messages ~1.0M → 1.7M msgs/s with this, just bench-kafka). 1 ms while messages may be
   * about to come, 10 ms once the topic has been quiet for 20 ms, so an idle follower wakes
   * ~100 times a second rather than ~1000. The event loop runs between waits.
   */
  private nextWait(started: number, deadline: number): number {
    const now = performance.now();
    if (now - started < 20) return 1;
    return Math.max(1, Math.min(10, Math.ceil(deadline - now)));
  }

  private advance(batch: MessageBatch): void {
    this.assigned.advance(batch.lastOffsets());
  }

  /** Serves events waiting on the consumer queue, then runs the rebalances they asked for. */
  private async serveEvents(): Promise<void> {
    const rk = this.open();
    drainQueue(this.consumerQueue, (event, type) => {
      if (type === EVENT.REBALANCE) {
        const code = rd().rd_kafka_event_error(event);
        const partitions = readTopicPartitionList(rd().rd_kafka_event_topic_partition_list(event));
        this.pendingRebalances.push({ assign: code === ErrorCode._ASSIGN_PARTITIONS, partitions });
      } else if (type === EVENT.ERROR) {
        const error = errorFromEvent(rk, event);
        if (error.fatal) this.fatal = error;
        else this.options.onError?.(error);
      } else if (type === EVENT.LOG) {
        this.log(logFromEvent(event));
      } else if (type === EVENT.STATS) {
        this.options.onStats?.(statsFromEvent(event));
      } else if (type === EVENT.FETCH) {
        // Only if a message beat the queue forwarding set up in assign(): copy, never destroy
        // (the event owns it).
        const count = eventMessages(event, this.words);
        this.fallback.push(takeBatch(this.words, count, { headers: this.options.headers, owned: false }).batch);
      }
    });
    while (this.pendingRebalances.length > 0) {
      const { assign, partitions } = this.pendingRebalances.shift()!;
      if (assign) await this.assign(partitions);
      else await this.revoke(partitions);
    }
    if (this.fatal) throw this.fatal;
  }

  private cooperative(): boolean {
    return String(rd().rd_kafka_rebalance_protocol(this.open())) === "COOPERATIVE";
  }

  private async assign(partitions: TopicPartition[]): Promise<void> {
    const lib = rd();
    const rk = this.open();
    // Route each partition's messages to our batch queue before fetching starts.
    for (const { topic, partition } of partitions) {
      const queue = lib.rd_kafka_queue_get_partition(rk, cstr(topic), partition);
      if (queue) {
        lib.rd_kafka_queue_forward(queue, this.messageQueue);
        lib.rd_kafka_queue_destroy(queue);
      }
    }
    const list = buildTopicPartitionList(partitions);
    try {
      // Committed offsets (one blocking round trip) before assigning: a partition without one
      // gets auto.offset.reset's logical offset outright, as librdkafka would, minus its fixed
      // 100 ms wait first (a new group's first message: ~340 → ~190 ms).
      const committed = lib.rd_kafka_committed(rk, list, 10_000) === 0 ? readTopicPartitionList(list) : [];
      const reset = resetOffset(this.options.config);
      for (const { topic, partition } of partitions) {
        const found = committed.find((c) => c.topic === topic && c.partition === partition);
        const offset = found?.offset ?? OFFSET_INVALID;
        this.assigned.add({ topic, partition }, offset);
        if (found?.error === 0 && offset === OFFSET_INVALID && reset !== undefined) {
          lib.rd_kafka_topic_partition_list_set_offset(list, cstr(topic), partition, reset);
        }
      }
      if (this.cooperative()) checkErrorObject(lib.rd_kafka_incremental_assign(rk, list), "incremental assign");
      else check(lib.rd_kafka_assign(rk, list), "assign");
    } finally {
      destroyTopicPartitionList(list);
    }
    await this.options.onAssign?.(partitions);
  }

  private async revoke(partitions: TopicPartition[]): Promise<void> {
    const lib = rd();
    const rk = this.open();
    const lost = lib.rd_kafka_assignment_lost(rk) === 1;
    if (!lost) {
      await this.options.onRevoke?.(partitions);
      this.commit();
    }
    const list = buildTopicPartitionList(partitions);
    try {
      if (this.cooperative()) checkErrorObject(lib.rd_kafka_incremental_unassign(rk, list), "incremental unassign");
      else check(lib.rd_kafka_assign(rk, NULL), "unassign");
    } finally {
      destroyTopicPartitionList(list);
    }
    this.assigned.remove(partitions);
  }

  /**
   * Marks these messages as processed: per partition, the offset after the highest one is
   * stored, and committed by the next auto-commit, `commit()` or `close()`. Call it only once
   * the data is durable. Partitions no longer assigned are skipped and returned.
   */
  storeOffsets(messages: { topic: string; partition: number; offset: number }[]): TopicPartition[] {
    const next = nextOffsets(messages);
    const owned = next.filter((tp) => this.assigned.owns(tp.topic, tp.partition));
    const skipped = next.filter((tp) => !this.assigned.owns(tp.topic, tp.partition));
    if (owned.length === 0) return skipped;
    const list = buildTopicPartitionList(owned);
    try {
      const code = rd().rd_kafka_offsets_store(this.open(), list);
      if (code !== 0) {
        const failed = readTopicPartitionList(list).filter((tp) => tp.error !== 0);
        if (failed.length === 0) check(code, "store offsets");
        skipped.push(...failed);
      }
    } finally {
      destroyTopicPartitionList(list);
    }
    return skipped;
  }

  /**
   * Commits the stored offsets now and waits for the broker's answer (a blocking round trip).
   * Nothing stored is not an error.
   */
  commit(): void {
    const code = rd().rd_kafka_commit(this.open(), NULL, 0);
    if (code !== 0 && code !== ErrorCode._NO_OFFSET) check(code, "commit");
  }

  /** The partitions currently assigned to this member. */
  assignment(): TopicPartition[] {
    return this.assigned.list();
  }

  /**
   * Position and lag per assigned partition, from the high watermarks librdkafka caches from
   * fetch responses (no broker round trip).
   */
  lag(): PartitionLag[] {
    const lib = rd();
    const rk = this.open();
    const out = new Uint32Array(4); // int64 low, int64 high
    return this.assigned.lag((topic, partition) =>
      lib.rd_kafka_get_watermark_offsets(rk, cstr(topic), partition, out.subarray(0, 2), out.subarray(2, 4)) === 0
        ? { low: int64At(out, 0), high: int64At(out, 2) }
        : null,
    );
  }

  /** True when partitions are assigned and every one of them has no lag left. */
  caughtUp(): boolean {
    const lags = this.lag();
    return lags.length > 0 && lags.every((p) => p.lag === 0);
  }

  /**
   * Commits stored offsets, leaves the group (serving the final revoke, so `onRevoke` runs) and
   * frees every native object. Safe to call twice.
   */
  async close(timeoutMs = 30_000): Promise<void> {
    if (!this.rk) return;
    const lib = rd();
    const rk = this.rk;
    try {
      if (!this.fatal) {
        this.commit();
        checkErrorObject(lib.rd_kafka_consumer_close_queue(rk, this.consumerQueue), "close");
        const deadline = performance.now() + timeoutMs;
        while (lib.rd_kafka_consumer_closed(rk) !== 1 && performance.now() < deadline) {
          await this.serveEvents().catch(() => undefined);
          await Bun.sleep(5);
        }
      }
    } finally {
      lib.rd_kafka_queue_destroy(this.messageQueue);
      lib.rd_kafka_queue_destroy(this.consumerQueue);
      lib.rd_kafka_destroy(rk);
      this.rk = null;
    }
  }
}
