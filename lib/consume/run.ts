import { Admin } from "../kafka/admin.ts";
import { Consumer, type PartitionLag } from "../kafka/consumer.ts";
import type { MessageBatch, MessagePosition } from "../kafka/batch.ts";
import type { ClientSettings } from "../config/client.ts";
import { SchemaRegistryClient } from "../registry/client.ts";
import { RowBatch, type RowColumns, type Sink, type WriteResult } from "../sinks/sink.ts";
import type { DeadLetter } from "./dead-letter.ts";
import { DeadLetterQueue } from "./dead-letter-queue.ts";
import { MessageDecoder } from "./decode.ts";

/** Once the consumer has caught up, rows older than this are flushed without waiting for the interval. */
const IDLE_FLUSH_MS = 500;

/**
 * How much librdkafka prefetches per partition (flags and client.properties still win). Its
 * defaults (64 MB per partition, and lib/kafka's 200k messages) let it hold up to 384 MB of a
 * 6-partition backlog; reading the 885k-event topic alone peaked at ~215 MB RSS with them and
 * ~170 MB with 16 MB / 50k, at the same speed (0.7 s, local broker).
 */
const PREFETCH = { "queued.max.messages.kbytes": "16384", "queued.min.messages": "50000" };

/**
 * Messages taken per consume call, and so how often the loop yields to the event loop (~10 ms of
 * decoding for 10k events). With 50k the sink sat waiting for the JS thread between its steps:
 * 885k events, medians of 8 runs, 2.61 s; 2.37 s with 10k and 2.36 s with 5k.
 */
const CONSUME_CHUNK = 10_000;

/** When buffered rows are handed to the sink: whichever limit is reached first. */
export interface FlushPolicy {
  rows: number;
  bytes: number;
  intervalMs: number;
}

export interface ConsumeOptions {
  settings: ClientSettings;
  topic: string;
  dlqTopic: string;
  group: string;
  sink: Sink;
  flush: FlushPolicy;
  /** Exit once every assigned partition has no lag left (batch mode). */
  untilCaughtUp: boolean;
  /** Aborting finishes the current batch, flushes, commits and returns. */
  signal: AbortSignal;
  onProgress?: (progress: ConsumeProgress) => void;
  /** How long to wait for the first assignment before deciding the topic is empty (until-caught-up). */
  joinTimeoutMs?: number;
}

export interface ConsumeProgress {
  consumed: number;
  landed: number;
  deadLetters: number;
  bytes: number;
  flushes: number;
  lastFlushMs: number;
  lag: PartitionLag[];
}

export interface ConsumeSummary extends ConsumeProgress {
  deadLettersByKind: Record<string, number>;
  seconds: number;
  stoppedBy: "caught-up" | "signal";
}

/** The topic to read does not exist (auto-create is off): nothing was produced yet. */
export class MissingTopicError extends Error {
  constructor(readonly topic: string) {
    super(`topic "${topic}" does not exist — produce some events first (just produce)`);
    this.name = "MissingTopicError";
  }
}

/**
 * The consumer stage: reads batches from `topic` in group `group`, decodes and transforms them,
 * buffers rows until the flush policy says so, writes them to the sink, sends what cannot land
 * to the dead-letter topic, and only then stores the batch's offsets (at-least-once: a crash
 * replays, staging deduplicates on the Kafka coordinates). Before a rebalance takes partitions
 * away the buffer is flushed, so their offsets are committed by the member that did the work.
 */
export async function runConsumer(options: ConsumeOptions): Promise<ConsumeSummary> {
  const { settings, topic, sink, flush: policy } = options;
  const started = performance.now();
  // The sink opens (loading DuckDB, for the local warehouse) while the topics are checked and the
  // group join runs on librdkafka's threads (~0.2 s on a local broker); awaited before a write.
  const sinkOpen = sink.open();

  const decoder = new MessageDecoder(new SchemaRegistryClient(settings.registry));
  const dlq = new DeadLetterQueue(settings.kafka, options.dlqTopic, options.group);
  let parts: RowColumns[] = [];
  let letters: DeadLetter[] = [];
  let pending: MessageBatch[] = [];
  let pendingCount = 0;
  let bufferedBytes = 0;
  let bufferSince = 0;
  const progress: ConsumeProgress = { consumed: 0, landed: 0, deadLetters: 0, bytes: 0, flushes: 0, lastFlushMs: 0, lag: [] };

  // The sink writes one batch while the loop consumes and decodes the next: a flush hands the
  // new batch to the sink at once (the Parquet sink stages it while still writing the previous
  // one), then waits for the previous batch to be stored — at most two batches are in the sink.
  // Results are handled in order, so offsets are always stored in order.
  let inFlight: Promise<void> = Promise.resolve();
  // The dead-letter topic is created (if missing) while the group is joined.
  let dlqReady: Promise<void> = Promise.resolve();
  let failed: unknown;
  sinkOpen.catch((error: unknown) => {
    failed ??= error;
  });
  const startWrite = (rows: RowBatch): Promise<WriteResult> =>
    rows.length > 0 ? sinkOpen.then(() => sink.write(rows)) : Promise.resolve({ written: 0, rejected: [] });
  const finishBatch = async (batch: { letters: DeadLetter[]; messages: MessageBatch[] }, result: WriteResult, t0: number) => {
    for (const { row, reason } of result.rejected) {
      batch.letters.push({ message: findMessage(batch.messages, row._kafka_partition, row._kafka_offset), kind: "sink-rejected", reason });
    }
    if (batch.letters.length > 0) {
      await dlqReady;
      await dlq.send(batch.letters);
      await dlq.flush();
    }
    consumer.storeOffsets(lastOffsets(batch.messages));
    // The batch's buffers (~300 bytes a row) are garbage now, but they lived long enough to reach
    // JSC's old generation, which it collects rarely: the heap swung between 120 and 360 MB and
    // the peak RSS with it (10M events, 250k-row batches: 790 MB, 600 MB with this). A full
    // collection here costs ~12 ms a batch (10M events: 0.8 s of 28 s CPU). Collecting only
    // above a heap size saved most of that but let the RSS reach 580 MB.
    Bun.gc(true);
    progress.landed += result.written;
    progress.deadLetters = dlq.total;
    progress.flushes++;
    progress.lastFlushMs = performance.now() - t0;
  };
  /** Hands the buffer to the sink; `wait` also waits until it (and every earlier batch) is stored. */
  const flush = async (wait = false) => {
    if (pendingCount > 0) {
      const t0 = performance.now();
      const batch = { letters, messages: pending };
      const written = startWrite(new RowBatch(parts));
      // Settled through inFlight below, not as an unhandled rejection.
      written.catch(() => undefined);
      parts = [];
      letters = [];
      pending = [];
      pendingCount = 0;
      bufferedBytes = 0;
      const previous = inFlight;
      inFlight = previous.then(async () => finishBatch(batch, await written, t0));
      // Failures surface at the next flush (or sooner through `failed`), not as unhandled rejections.
      inFlight.catch((error: unknown) => {
        failed ??= error;
      });
      await previous;
    }
    if (wait) await inFlight;
  };

  const consumer = new Consumer({
    config: { ...PREFETCH, ...settings.kafka, "group.id": options.group },
    sources: settings.sources,
    onRevoke: () => flush(true),
    onError: (error) => console.error(`kafka: ${"message" in error ? error.message : error.text}`),
  });
  let stoppedBy: ConsumeSummary["stoppedBy"] = "signal";
  try {
    dlqReady = prepareTopics(settings, topic, options.dlqTopic);
    dlqReady.catch((error: unknown) => {
      failed ??= error;
    });
    consumer.subscribe([topic]);
    while (!options.signal.aborted) {
      if (failed) throw failed;
      const messages = await consumer.consumeMessageBatch(CONSUME_CHUNK, 100);
      // The sink's steps (DuckDB queries, fsyncs) finish on other threads but continue only once
      // this thread reaches the event loop, which awaiting consume and decode alone never does
      // while messages keep coming.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (messages.length > 0) {
        if (pendingCount === 0) bufferSince = performance.now();
        const decoded = await decoder.decode(messages, Date.now() * 1000);
        parts.push(decoded.rows);
        for (const letter of decoded.deadLetters) letters.push(letter);
        pending.push(messages);
        pendingCount += messages.length;
        bufferedBytes += decoded.bytes;
        progress.consumed += messages.length;
        progress.bytes += decoded.bytes;
      }
      const age = pendingCount > 0 ? performance.now() - bufferSince : 0;
      const atEnd = consumer.caughtUp();
      const idle = messages.length === 0 && atEnd;
      // Full, old enough, or nothing more to read: a quiet topic lands its last rows within
      // IDLE_FLUSH_MS instead of waiting out the interval, without a file per trickle.
      const due = pendingCount >= policy.rows || bufferedBytes >= policy.bytes || age >= policy.intervalMs || (idle && age >= IDLE_FLUSH_MS);
      // Batch mode stops once a batch reached every high watermark, without waiting out one more
      // empty poll (100 ms: 5% of an 885k-event backfill).
      const caughtUp = options.untilCaughtUp && atEnd;
      if (due || caughtUp) await flush(caughtUp);
      progress.lag = consumer.lag();
      options.onProgress?.(progress);
      if (caughtUp) {
        stoppedBy = "caught-up";
        break;
      }
    }
    await flush(true);
    await sinkOpen;
  } finally {
    await inFlight.catch(() => undefined);
    await dlqReady.catch(() => undefined);
    await consumer.close();
    await dlq.close();
    await sinkOpen.catch(() => undefined);
    await sink.close();
  }
  return {
    ...progress,
    deadLettersByKind: Object.fromEntries(dlq.counts),
    seconds: (performance.now() - started) / 1000,
    stoppedBy,
  };
}

/** Per partition, the last offset of a run of batches (what to store once they are written). */
function lastOffsets(batches: MessageBatch[]): MessagePosition[] {
  return batches.flatMap((batch) => batch.lastOffsets());
}

/** The consumed message a sink-rejected row came from (rare: a linear scan is fine). */
function findMessage(batches: MessageBatch[], partition: number, offset: number) {
  for (const batch of batches) {
    for (let i = 0; i < batch.length; i++) if (batch.partition(i) === partition && batch.offset(i) === offset) return batch.message(i);
  }
  throw new Error(`the sink rejected a row (partition ${partition}, offset ${offset}) that was not in the batch`);
}

/**
 * Fails fast when the source topic is missing (checked before subscribing: a subscription made
 * while the topic is still missing would not see it until librdkafka's next metadata refresh,
 * 5 min, even once a producer created it). Returns the creation of the dead-letter topic if
 * missing, which takes ~50 ms even when it exists and is not needed until the first dead letter.
 */
function prepareTopics(settings: ClientSettings, topic: string, dlqTopic: string): Promise<void> {
  const admin = new Admin({ config: settings.kafka, sources: settings.sources });
  try {
    const metadata = admin.metadata({ topic, timeoutMs: 10_000 });
    const found = metadata.topics.find((t) => t.name === topic);
    if (!found || found.error !== 0 || found.partitions.length === 0) throw new MissingTopicError(topic);
  } catch (error) {
    admin.close();
    throw error;
  }
  return admin
    .createTopics([{ name: dlqTopic, partitions: 1 }])
    .then(() => undefined)
    .finally(() => admin.close());
}
