import {
  rd, glue, ptr, read, pointerAt, partitionerAddress, MESSAGE, MSG_F_COPY, MSG_F_PARTITION, PARTITION_UA,
  RD_KAFKA_PRODUCER, EVENT, type Pointer,
} from "./ffi.ts";
import { buildConf, newHandle, type KafkaConfig } from "./config.ts";
import { defaultLogHandler, logFromEvent, type LogLine } from "./log.ts";
import { ClientClosedError, ErrorCode, KafkaError } from "./errors.ts";
import { drainQueue, errorFromEvent, eventMessages, statsFromEvent } from "./events.ts";
import { encodeProduceArgs, produceVa, type OutgoingMessage } from "./message.ts";
import { LentBuffers } from "./lent.ts";
import { MessageArray } from "./message-array.ts";
import { TopicHandles } from "./topics.ts";

/**
 * Messages packed for one native call: message i's value is
 * `values.subarray(valueOffsets[i], valueOffsets[i + 1])` and its key likewise in `keys`.
 * `keys: null` sends every message without a key (librdkafka's partitioner then spreads them) —
 * not the same as empty keys.
 */
export interface PackedMessages {
  count: number;
  values: Uint8Array;
  /** count + 1 offsets into `values`. */
  valueOffsets: Uint32Array;
  keys: Uint8Array | null;
  /** count + 1 offsets into `keys`. */
  keyOffsets: Uint32Array | null;
  /** Per-message ids handed back with delivery failures (default: a running sequence number). */
  opaques?: Float64Array | Int32Array | Uint32Array | Uint8Array;
}

export interface ProduceBatchOptions {
  /**
   * `false` lends `values` to librdkafka instead of copying each value into it (one malloc and
   * memcpy less per message: at 1 KiB, 0.90M → 1.01M msgs/s, medians of 8 runs). The producer
   * then holds the values' whole ArrayBuffer until every message pointing into it has its
   * delivery report: treat the buffer as handed over and never write to it again. Keys are
   * always copied. Default `true`: the buffers are free again when the promise resolves.
   */
  copy?: boolean;
}

/** A message librdkafka could not deliver (or not even enqueue), with the caller's opaque id. */
export interface DeliveryFailure {
  opaque: number;
  error: KafkaError;
}

export interface ProducerOptions {
  /** Raw librdkafka properties; producer defaults below are applied first. */
  config: KafkaConfig;
  /** `file:line` per key, for error messages. */
  sources?: Record<string, string>;
  /** Every failed message, as its delivery report arrives. */
  onDeliveryFailure?: (failure: DeliveryFailure) => void;
  /** Non-fatal client errors (broker down, auth failures…): informational, librdkafka retries. */
  onError?: (error: KafkaError) => void;
  /** Statistics JSON, every `statistics.interval.ms`. */
  onStats?: (json: string) => void;
  /** librdkafka's log lines (default: errors on stderr, deduplicated; everything with `debug`). */
  onLog?: (line: LogLine) => void;
}

/** Safe, fast producer defaults: idempotent (acks=all, ordered retries), lz4-compressed batches. */
export const PRODUCER_DEFAULTS: KafkaConfig = {
  "enable.idempotence": "true",
  acks: "all",
  "compression.type": "lz4",
  "linger.ms": "5",
  "batch.size": "1000000",
  "queue.buffering.max.messages": "500000",
  "queue.buffering.max.kbytes": "1048576",
};

const MAX_BATCH = 10_000;

/**
 * librdkafka producer driven from the JS thread: `produceBatch` hands a whole array of messages
 * to `rd_kafka_produce_batch` in one native call (F_COPY unless the values are lent; F_PARTITION
 * with partition UA so the key picks the partition). Delivery reports arrive as DR events on the
 * main queue and are drained by `poll()`, one glue call per event — librdkafka never calls into JS.
 */
export class Producer {
  private rk: Pointer | null;
  private readonly queue: Pointer;
  private readonly topics = new TopicHandles();
  /** The configured librdkafka partitioner, to group keyed messages by partition (null: don't). */
  private readonly partitioner: number | null;
  private readonly structs = new MessageArray(MAX_BATCH);
  private reports = new Uint32Array(2 * MAX_BATCH);
  private failedReports = new Int32Array(MAX_BATCH);
  private readonly lent = new LentBuffers();
  private nextOpaque = 1;
  private fatal: KafkaError | null = null;
  private readonly log: (line: LogLine) => void;
  /** Messages handed to librdkafka. */
  enqueued = 0;
  delivered = 0;
  failed = 0;

  constructor(private readonly options: ProducerOptions) {
    const conf = buildConf(
      { ...PRODUCER_DEFAULTS, ...options.config },
      EVENT.DR | EVENT.ERROR | EVENT.LOG | (options.onStats ? EVENT.STATS : 0),
      options.sources,
    );
    this.rk = newHandle(RD_KAFKA_PRODUCER, conf);
    this.queue = rd().rd_kafka_queue_get_main(this.rk)!;
    this.partitioner = partitionerAddress(options.config.partitioner);
    this.log = options.onLog ?? defaultLogHandler(options.config);
  }

  /** The native handle, for Admin/metadata calls sharing this client's connections. */
  get handle(): Pointer {
    return this.open();
  }

  /** Bytes of value buffers lent to librdkafka (`copy: false`) and not yet released. */
  get lentBytes(): number {
    return this.lent.bytes;
  }

  /** Messages enqueued whose delivery report has not been served yet. */
  get inFlight(): number {
    return this.enqueued - this.delivered - this.failed;
  }

  private open(): Pointer {
    if (!this.rk) throw new ClientClosedError("producer");
    if (this.fatal) throw this.fatal;
    return this.rk;
  }

  /**
   * Enqueues every message of `batch` to `topic`, chunked into native calls of ≤ 10,000. When
   * librdkafka's queue is full it serves delivery reports and waits a millisecond before retrying
   * the rest — no busy loop, nothing dropped. Messages refused for other reasons (e.g. too large)
   * are reported through `onDeliveryFailure` at once. Resolves when all are enqueued.
   *
   * Keyed messages of each chunk are enqueued grouped by the partition the configured
   * partitioner will pick (stable, so each key keeps its order): librdkafka still partitions
   * them itself, but walks far fewer scattered queues (glue/batch.c, group_by_partition).
   */
  async produceBatch(topic: string, batch: PackedMessages, options: ProduceBatchOptions = {}): Promise<void> {
    const lib = rd();
    const handle = this.topics.get(this.open(), topic);
    const partitioner = batch.keys ? this.partitioner : null;
    const copy = options.copy ?? true;
    const flags = (copy ? MSG_F_COPY : 0) | MSG_F_PARTITION;
    const valuesBase = batch.values.length ? ptr(batch.values) : 0;
    const keysBase = batch.keys?.length ? ptr(batch.keys) : 0;
    for (let start = 0; start < batch.count; start += MAX_BATCH) {
      const n = Math.min(MAX_BATCH, batch.count - start);
      this.structs.pack(batch, start, n, valuesBase, keysBase, this.nextOpaque);
      if (!batch.opaques) this.nextOpaque += n;
      if (partitioner && handle.partitions > 1) this.structs.groupByPartition(n, partitioner, handle.partitions);
      let offset = 0; // first not-yet-enqueued struct of this chunk
      while (offset < n) {
        const remaining = n - offset;
        const good = lib.rd_kafka_produce_batch(handle.rkt, PARTITION_UA, flags, this.structs.at(offset), remaining);
        this.enqueued += good;
        if (!copy) this.lent.lend(batch.values, this.structs.enqueuedValues(offset, remaining));
        if (good === remaining) break;
        offset = this.skipRefused(offset, remaining);
        if (offset < n) await this.waitForRoom();
      }
    }
  }

  /**
   * The queue is full: serve delivery reports, then sleep until a tenth of what is in flight
   * has been acknowledged (or 50 ms), rather than offering the same messages every millisecond.
   */
  private async waitForRoom(): Promise<void> {
    const target = this.inFlight * 0.9;
    const deadline = performance.now() + 50;
    do {
      await Bun.sleep(1);
      this.poll();
      this.open();
    } while (this.inFlight > target && performance.now() < deadline);
  }

  /** Convenience over produceBatch for a few messages given as objects. */
  async produce(topic: string, messages: OutgoingMessage[]): Promise<void> {
    await this.produceBatch(topic, encodeProduceArgs(messages));
  }

  /**
   * Enqueues one message with headers (rd_kafka_produceva: produce_batch cannot carry headers).
   * The slow path, for the rare messages that need headers, such as dead letters. Waits while
   * the queue is full; any other refusal throws.
   */
  async produceWithHeaders(topic: string, message: OutgoingMessage & { headers: Record<string, string> }): Promise<void> {
    const opaque = message.opaque ?? this.nextOpaque++;
    for (;;) {
      const code = produceVa(this.open(), topic, message, opaque);
      if (code === ErrorCode.NO_ERROR) break;
      if (code !== ErrorCode._QUEUE_FULL) throw new KafkaError(code, `cannot produce to ${topic}`);
      this.poll();
      await Bun.sleep(1);
    }
    this.enqueued++;
  }

  /**
   * After a partial produce_batch: reports the messages refused for a reason other than a full
   * queue, and returns the index of the first queue-full one — librdkafka refuses every message
   * after the first queue-full, so the retry starts there, with no copying.
   */
  private skipRefused(offset: number, count: number): number {
    for (let i = offset; i < offset + count; i++) {
      const err = this.structs.error(i);
      if (err === ErrorCode.NO_ERROR) continue;
      if (err === ErrorCode._QUEUE_FULL) return i;
      this.failed++;
      this.enqueued++; // counted as handed over so inFlight stays exact
      this.options.onDeliveryFailure?.({ opaque: this.structs.opaque(i), error: new KafkaError(err) });
    }
    return offset + count;
  }

  /**
   * Serves waiting events without blocking: delivery reports (counted; failures reported),
   * errors and statistics. Returns the number of events served. Call it regularly.
   */
  poll(): number {
    if (!this.rk) return 0;
    return drainQueue(this.rk && this.queue, (event, type) => {
      if (type === EVENT.DR) this.onDeliveryReports(event);
      else if (type === EVENT.ERROR) this.onErrorEvent(event);
      else if (type === EVENT.STATS) this.options.onStats?.(statsFromEvent(event));
      else if (type === EVENT.LOG) this.log(logFromEvent(event));
    });
  }

  /** One glue call per event finds the failures and releases lent buffers; failures are rare. */
  private onDeliveryReports(event: Pointer): void {
    const size = rd().rd_kafka_event_message_count(event);
    if (size > this.failedReports.length) {
      this.reports = new Uint32Array(2 * size);
      this.failedReports = new Int32Array(size);
    }
    const count = eventMessages(event, this.reports);
    if (count > 0) {
      const first = pointerAt(this.reports, 0) as unknown as Pointer;
      this.topics.sawPartition(read.ptr(first, MESSAGE.rkt), read.i32(first, MESSAGE.partition));
    }
    const { lent } = this;
    const failures = glue().scanReports(this.reports, count, this.failedReports, lent.ranges, lent.count, lent.released);
    if (lent.count > 0) lent.settle();
    for (let f = 0; f < failures; f++) {
      const message = pointerAt(this.reports, this.failedReports[f]!) as unknown as Pointer;
      const error = new KafkaError(read.i32(message, MESSAGE.err));
      this.options.onDeliveryFailure?.({ opaque: read.ptr(message, MESSAGE.opaque), error });
    }
    this.failed += failures;
    this.delivered += count - failures;
  }

  private onErrorEvent(event: Pointer): void {
    const error = errorFromEvent(this.rk!, event);
    if (error.fatal) this.fatal = error;
    else this.options.onError?.(error);
  }

  /**
   * Waits until every enqueued message has its delivery report, polling in short slices so the
   * event loop keeps running. Returns how many messages are still in flight (0 = all reported).
   * Throws the fatal error if the producer became unusable.
   */
  async flush(timeoutMs = 30_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    rd().rd_kafka_flush(this.open(), 0); // wakes the brokers up: send now, don't wait for linger.ms
    for (;;) {
      this.poll();
      if (this.fatal) throw this.fatal;
      if (this.inFlight === 0 || performance.now() >= deadline) return this.inFlight;
      await Bun.sleep(2);
    }
  }

  /** Flushes (up to `timeoutMs`), then frees every native object. Safe to call twice. */
  async close(timeoutMs = 30_000): Promise<number> {
    if (!this.rk) return 0;
    let pending = 0;
    try {
      if (!this.fatal) pending = await this.flush(timeoutMs);
    } finally {
      const lib = rd();
      this.topics.destroyAll();
      lib.rd_kafka_queue_destroy(this.queue);
      lib.rd_kafka_destroy(this.rk);
      this.rk = null;
      this.lent.clear();
    }
    return pending;
  }
}
