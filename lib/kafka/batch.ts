import { rd, glue, pointerAt, readCString, toArrayBuffer, META, type Pointer } from "./ffi.ts";
import type { ConsumedMessage } from "./message.ts";

/** A per-message consumer error (e.g. an unknown topic), not data. */
export interface MessageError {
  code: number;
  text: string;
  topic: string | null;
  partition: number;
}

/** Where a message sits: what `Consumer.storeOffsets` takes. */
export interface MessagePosition {
  topic: string;
  partition: number;
  offset: number;
}

/**
 * The topic names of a batch's messages, by topic handle, read while the messages (which hold
 * the handles) are alive. Problem: a handle's address can be reused by another topic once the
 * old one is freed, so a cache across batches or clients could name the wrong topic.
 * Solution: resolve per batch — one native call per distinct topic — from the handles the glue
 * copied into `meta`, before the messages are destroyed (reading each message's handle through
 * the FFI instead cost ~15 ns a message).
 */
function topicNames(meta: Float64Array, count: number): Map<number, string> {
  const names = new Map<number, string>();
  let last = -1;
  for (let i = 0; i < count; i++) {
    const rkt = meta[i * META.fields + META.rkt]!;
    if (rkt === last || names.has(rkt)) continue;
    last = rkt;
    names.set(rkt, rkt ? String(rd().rd_kafka_topic_name(rkt as unknown as Pointer)) : "");
  }
  return names;
}

/**
 * A consumed batch kept flat: per-message metadata in one Float64Array and every value and key
 * in one buffer. The bytes are copies owned by the caller (librdkafka's messages are already
 * freed); `value(i)`/`key(i)` are views into `buffer`, and `message(i)` builds an object only
 * when one is wanted — a pipeline reads `buffer` at `valueStart(i)` without any per-message
 * allocation.
 */
export class MessageBatch {
  constructor(
    readonly length: number,
    readonly buffer: Uint8Array,
    private readonly meta: Float64Array,
    private readonly names: Map<number, string>,
    private readonly headerList: Record<string, string>[] | null = null,
  ) {}

  topic(i: number): string {
    return this.names.get(this.meta[i * META.fields + META.rkt]!) ?? "";
  }
  partition(i: number): number {
    return this.meta[i * META.fields + META.partition]!;
  }
  offset(i: number): number {
    return this.meta[i * META.fields + META.offset]!;
  }
  /** Milliseconds since the epoch (CreateTime or LogAppendTime), -1 if unknown. */
  timestamp(i: number): number {
    return this.meta[i * META.fields + META.timestamp]!;
  }
  valueStart(i: number): number {
    return this.meta[i * META.fields + META.valueAt]!;
  }
  /** -1 for a NULL value (a tombstone). */
  valueLength(i: number): number {
    return this.meta[i * META.fields + META.valueLen]!;
  }
  value(i: number): Uint8Array | null {
    return this.slice(this.meta[i * META.fields + META.valueAt]!, this.meta[i * META.fields + META.valueLen]!);
  }
  key(i: number): Uint8Array | null {
    return this.slice(this.meta[i * META.fields + META.keyAt]!, this.meta[i * META.fields + META.keyLen]!);
  }

  private slice(at: number, length: number): Uint8Array | null {
    return length < 0 ? null : this.buffer.subarray(at, at + length);
  }

  /** Message `i` as an object (its key and value are views into `buffer`). */
  message(i: number): ConsumedMessage {
    const message: ConsumedMessage = {
      topic: this.topic(i),
      partition: this.partition(i),
      offset: this.offset(i),
      timestamp: this.timestamp(i),
      key: this.key(i),
      value: this.value(i),
    };
    if (this.headerList) message.headers = this.headerList[i]!;
    return message;
  }

  toArray(): ConsumedMessage[] {
    return Array.from({ length: this.length }, (_, i) => this.message(i));
  }

  /** Per topic-partition, the highest offset in the batch (what to store once it is processed). */
  lastOffsets(): MessagePosition[] {
    return (this.last ??= this.findLastOffsets());
  }

  private last: MessagePosition[] | undefined;

  private findLastOffsets(): MessagePosition[] {
    // Messages come in runs from one partition with rising offsets, so only the end of a run can
    // be a partition's highest: one map update per run, not per message (per-message map
    // updates cost the 885k-event backfill ~180 ms of its ~3 s).
    const last = new Map<number, Map<number, number>>(); // rkt pointer → partition → offset
    const meta = this.meta;
    const note = (rkt: number, partition: number, offset: number) => {
      const partitions = last.get(rkt) ?? last.set(rkt, new Map()).get(rkt)!;
      if (!(offset <= partitions.get(partition)!)) partitions.set(partition, offset);
    };
    for (let i = 0; i < this.length; i++) {
      const base = i * META.fields;
      const next = base + META.fields;
      const endOfRun =
        i === this.length - 1 ||
        meta[next + META.rkt] !== meta[base + META.rkt] ||
        meta[next + META.partition] !== meta[base + META.partition] ||
        meta[next + META.offset]! < meta[base + META.offset]!;
      if (endOfRun) note(meta[base + META.rkt]!, meta[base + META.partition]!, meta[base + META.offset]!);
    }
    const result: MessagePosition[] = [];
    for (const [topicRkt, byPartition] of last) {
      for (const [partition, offset] of byPartition) result.push({ topic: this.names.get(topicRkt) ?? "", partition, offset });
    }
    return result;
  }
}

const EMPTY = new MessageBatch(0, new Uint8Array(0), new Float64Array(0), new Map());

/**
 * Buffers one consumer reuses from batch to batch when its batches are views valid until the
 * next call. Why: a fresh zero-filled buffer per batch cost 1 KiB messages 20% of the binding's
 * consume rate (1.23M → 1.55M msgs/s with reuse, just bench-kafka).
 */
export class BatchBuffers {
  private bytes = new Uint8Array(0);
  private numbers = new Float64Array(0);

  arena(length: number): Uint8Array {
    if (this.bytes.length < length) this.bytes = new Uint8Array(Math.ceil(length * 1.25));
    return this.bytes.subarray(0, length);
  }
  meta(length: number): Float64Array {
    if (this.numbers.length < length) this.numbers = new Float64Array(Math.ceil(length * 1.25));
    return this.numbers.subarray(0, length);
  }
}

/**
 * Copies `count` native messages (pointers in `words`) with one glue call, then returns the
 * data messages as a MessageBatch and the error messages apart (consumer events, not data).
 * Messages are destroyed by a second glue call, unless `owned` is false (messages of an event
 * belong to the event). Destroying them in a loop of their own, after the copies, rather than
 * each right after its copy made 100 B messages ~10% faster (3M: 1.04 → 0.93 s, medians of 16
 * runs), most of a message's cost being librdkafka freeing it (~300 ns).
 */
export function takeBatch(
  words: Uint32Array,
  count: number,
  options: { headers?: boolean; owned?: boolean; reuse?: BatchBuffers } = {},
): { batch: MessageBatch; errors: MessageError[] } {
  if (count === 0) return { batch: EMPTY, errors: [] };
  const { bytes, take, destroy } = glue();
  const arenaLength = Math.max(bytes(words, count), 1);
  const arena = options.reuse ? options.reuse.arena(arenaLength) : new Uint8Array(arenaLength);
  const meta = options.reuse ? options.reuse.meta(count * META.fields) : new Float64Array(count * META.fields);
  const owned = options.owned ?? true;
  // Headers live in the native message: read them before it is destroyed.
  const headerList = options.headers ? Array.from({ length: count }, (_, i) => readHeaders(pointerAt(words, i) as unknown as Pointer)) : null;
  take(words, count, arena, meta);
  const names = topicNames(meta, count);
  if (owned) destroy(words, count);

  const errors: MessageError[] = [];
  let kept: number[] | null = null;
  for (let i = 0; i < count; i++) {
    const code = meta[i * META.fields + META.err]!;
    if (code === 0) {
      kept?.push(i);
      continue;
    }
    kept ??= Array.from({ length: i }, (_, j) => j);
    // On error messages librdkafka puts the error text in the payload.
    const at = meta[i * META.fields + META.valueAt]!;
    const text = Buffer.from(arena.buffer, arena.byteOffset + at, Math.max(0, meta[i * META.fields + META.valueLen]!)).toString("utf8");
    errors.push({ code, text, topic: names.get(meta[i * META.fields + META.rkt]!) || null, partition: meta[i * META.fields + META.partition]! });
  }
  if (!kept) return { batch: new MessageBatch(count, arena, meta, names, headerList), errors };
  const filtered = new Float64Array(kept.length * META.fields);
  kept.forEach((i, j) => filtered.set(meta.subarray(i * META.fields, (i + 1) * META.fields), j * META.fields));
  return { batch: new MessageBatch(kept.length, arena, filtered, names, headerList && kept.map((i) => headerList[i]!)), errors };
}

const headerOut = new Uint32Array(6);

/** A native message's headers (the dead-letter topic carries its reasons there). */
function readHeaders(message: Pointer): Record<string, string> {
  const lib = rd();
  const headers: Record<string, string> = {};
  if (lib.rd_kafka_message_headers(message, headerOut) !== 0) return headers;
  const list = pointerAt(headerOut, 0) as unknown as Pointer;
  const nameOut = headerOut.subarray(0, 2);
  const valueOut = headerOut.subarray(2, 4);
  const sizeOut = headerOut.subarray(4, 6);
  for (let i = 0; lib.rd_kafka_header_get_all(list, i, nameOut, valueOut, sizeOut) === 0; i++) {
    const value = pointerAt(valueOut, 0);
    const size = pointerAt(sizeOut, 0);
    headers[readCString(pointerAt(nameOut, 0))!] = value ? Buffer.from(toArrayBuffer(value as unknown as Pointer, 0, size)).toString("utf8") : "";
  }
  return headers;
}
