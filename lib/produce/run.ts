import type { ClientSettings } from "../config/client.ts";
import { openCsv } from "../events/csv/reader.ts";
import { valueSubject } from "../events/event.ts";
import { ecomEventSchemaText } from "../events/avro/schema.ts";
import { transcodeCsv, type TranscodedBatch } from "../events/transcode.ts";
import { Admin } from "../kafka/admin.ts";
import { KafkaError } from "../kafka/errors.ts";
import { slicePacked } from "../kafka/message.ts";
import { Producer, type DeliveryFailure } from "../kafka/producer.ts";
import { SchemaRegistryClient } from "../registry/client.ts";
import { eventTimeOf, Pacer } from "./pace.ts";
import { RejectsFile } from "./rejects.ts";

export interface ProduceOptions {
  settings: ClientSettings;
  file: string;
  topic: string;
  /** Partitions for the topic when it has to be created. */
  partitions: number;
  /** Produce at most this many events (valid rows). */
  limit?: number;
  /** Read, validate and encode only: no registry, no Kafka. */
  dryRun: boolean;
  rate?: number;
  replay?: number;
  /** Stop (and fail) once more rows than this were rejected. */
  maxRejects: number;
  rejectsPath: string;
  /** How long the broker may take to answer at start. */
  connectTimeoutMs: number;
  signal: AbortSignal;
  onProgress?: (progress: ProduceProgress) => void;
  /** Each failed delivery (the line it came from and why), as it is reported. */
  onFailure?: (line: number, error: KafkaError) => void;
}

export interface ProduceProgress {
  read: number;
  enqueued: number;
  delivered: number;
  rejected: number;
  failed: number;
  bytesRead: number;
  totalBytes: number;
  /** Avro bytes handed to Kafka. */
  bytesProduced: number;
}

export interface ProduceSummary extends ProduceProgress {
  seconds: number;
  schemaId: number;
  stoppedBy: "end-of-file" | "limit" | "signal" | "max-rejects";
}

/** Kafka did not answer at start: nothing was sent. */
export class BrokerUnreachableError extends Error {
  constructor(brokers: string, cause: unknown) {
    super(`cannot reach Kafka at ${brokers}: ${(cause as Error).message} — check bootstrap.servers and the credentials, or start the local stack (just up). Nothing was produced.`, { cause });
    this.name = "BrokerUnreachableError";
  }
}

/** A view of messages [start, start + count) of a batch, for paced sending; opaques are CSV line numbers. */
const slice = (batch: TranscodedBatch, start: number, count: number) => slicePacked({ ...batch, opaques: batch.lines }, start, count);

/**
 * The producer stage: CSV → validated events → Confluent-framed Avro → `topic`, keyed by
 * user_id. Every row is either delivered, rejected (written to the rejects file with line and
 * reason) or counted as failed with its line; the summary's counts add up to the rows read.
 * The header is checked before anything is sent; the broker is checked before the first row.
 */
export async function runProducer(options: ProduceOptions): Promise<ProduceSummary> {
  const started = performance.now();
  const source = await openCsv(options.file);
  let schemaId = 1; // dry runs encode with a placeholder id: nothing leaves the process
  let producer: Producer | null = null;
  const progress: ProduceProgress = {
    read: 0, enqueued: 0, delivered: 0, rejected: 0, failed: 0, bytesRead: 0, totalBytes: source.totalBytes, bytesProduced: 0,
  };
  if (!options.dryRun) {
    await prepareTopic(options);
    schemaId = await new SchemaRegistryClient(options.settings.registry).resolveId(valueSubject(options.topic), ecomEventSchemaText());
    producer = new Producer({
      config: options.settings.kafka,
      sources: options.settings.sources,
      onDeliveryFailure: (failure: DeliveryFailure) => options.onFailure?.(failure.opaque, failure.error),
    });
  }
  const rejects = new RejectsFile(options.rejectsPath);
  const pacer = new Pacer({ rate: options.rate, replay: options.replay });
  let stoppedBy: ProduceSummary["stoppedBy"] = "end-of-file";
  const sync = () => {
    if (!producer) return;
    producer.poll();
    progress.delivered = producer.delivered;
    progress.failed = producer.failed;
  };
  try {
    for await (const batch of transcodeCsv(source, schemaId)) {
      let count = batch.count;
      let rejections = batch.rejections;
      if (options.limit !== undefined && progress.enqueued + count >= options.limit) {
        // Stop after the limit-th event; rows after it in the file were not read, as far as counts go.
        count = options.limit - progress.enqueued;
        const lastLine = count > 0 ? batch.lines[count - 1]! : 0;
        rejections = rejections.filter((r) => r.line < lastLine);
        stoppedBy = "limit";
      }
      rejects.write(rejections);
      progress.rejected += rejections.length;
      progress.read += count + rejections.length;
      progress.bytesRead = batch.bytesRead;
      if (progress.rejected > options.maxRejects) {
        stoppedBy = "max-rejects";
        break;
      }
      await send(batch, count);
      progress.bytesProduced += batch.valueOffsets[count]! - batch.valueOffsets[0]!;
      sync();
      options.onProgress?.(progress);
      if (stoppedBy === "limit") break;
      if (options.signal.aborted) {
        stoppedBy = "signal";
        break;
      }
    }
    if (producer) {
      const pending = await producer.flush(30_000);
      sync();
      progress.failed += pending; // never reported: count as failed, not delivered
    }
  } finally {
    rejects.close();
    await producer?.close(0);
  }
  return { ...progress, seconds: (performance.now() - started) / 1000, schemaId, stoppedBy };

  async function send(batch: TranscodedBatch, count: number): Promise<void> {
    if (!pacer.active) {
      if (producer && count > 0) await producer.produceBatch(options.topic, slice(batch, 0, count));
      progress.enqueued += count;
      return;
    }
    // Paced: send the messages that are due, then sleep until the next one is.
    let i = 0;
    while (i < count && !options.signal.aborted) {
      let j = i;
      while (j < count && pacer.delayMs(progress.enqueued + (j - i), eventTimeOf(batch.values, batch.valueOffsets[j]!)) <= 0) j++;
      if (j > i) {
        if (producer) await producer.produceBatch(options.topic, slice(batch, i, j - i));
        progress.enqueued += j - i;
        i = j;
        sync();
        options.onProgress?.(progress);
      } else {
        const wait = pacer.delayMs(progress.enqueued, eventTimeOf(batch.values, batch.valueOffsets[i]!));
        await Bun.sleep(Math.min(Math.max(wait, 1), 250));
        sync();
      }
    }
  }
}

/** Checks the broker answers, then creates the topic if it is missing (idempotent). */
async function prepareTopic(options: ProduceOptions): Promise<void> {
  const admin = new Admin({ config: options.settings.kafka, sources: options.settings.sources });
  try {
    try {
      admin.metadata({ timeoutMs: options.connectTimeoutMs });
    } catch (error) {
      throw new BrokerUnreachableError(options.settings.kafka["bootstrap.servers"] ?? "?", error);
    }
    await admin.createTopics([{ name: options.topic, partitions: options.partitions }], options.connectTimeoutMs);
  } finally {
    admin.close();
  }
}
