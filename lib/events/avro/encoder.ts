import type { EcomEvent } from "../event.ts";
import { BatchWriter, FIXED_MESSAGE_BYTES, type EncodedBatch } from "./batch-writer.ts";
import { checkSchemaId } from "./wire.ts";

export type { EncodedBatch } from "./batch-writer.ts";

/** An event the encoder cannot write, naming the field and what it expected. */
export class EncodeError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly value: unknown,
  ) {
    super(`cannot encode event: ${field} must be ${expected}, got ${describe(value)}`);
    this.name = "EncodeError";
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  return String(value);
}

const TWO_POW_52 = 4_503_599_627_370_496;

/**
 * Encodes EcomEvents (schemas/ecom_event.avsc) into Confluent-framed Avro, a batch per call,
 * into buffers reused from call to call — no per-message allocation, no async, no registry call.
 * Hand-written for this one schema because encoding is the producer's bottleneck. Measured
 * under Bun on this (shared, 2-core) machine, 100k realistic events with keys: this encoder
 * 5.0–5.9M events/s; avsc `type.toBuffer` 0.9–2.5M/s; avsc `type.encode` into one shared
 * buffer 1.8–2.9M/s (without keys). The tests check its bytes against avsc, Confluent's JS
 * serializer and Python confluent-kafka/fastavro, so avsc stays the reference.
 */
export class EcomEventEncoder {
  private readonly writer: BatchWriter;

  constructor(
    readonly schemaId: number,
    initialBytes = 1 << 20,
  ) {
    checkSchemaId(schemaId);
    this.writer = new BatchWriter(initialBytes);
  }

  /** Encodes `events` into the shared buffers (valid until the next call). Throws EncodeError. */
  encodeBatch(events: readonly EcomEvent[]): EncodedBatch {
    const w = this.writer;
    w.reset();
    for (let i = 0; i < events.length; i++) writeEvent(w, events[i] as EcomEvent, this.schemaId);
    return w.result();
  }

  /** One framed message in a fresh buffer (tests, the dead-letter path, one-offs). */
  encode(event: EcomEvent): Uint8Array {
    const batch = this.encodeBatch([event]);
    return batch.values.slice();
  }
}

/**
 * Appends one event as a framed message (and its key) to `w`. Shared by EcomEventEncoder and the
 * CSV transcoder's general path, so both write the same bytes.
 */
export function writeEvent(w: BatchWriter, e: EcomEvent, schemaId: number): void {
  const t = e.event_time;
  if (typeof t !== "number" || !Number.isSafeInteger(t) || Math.abs(t) >= TWO_POW_52) {
    throw new EncodeError("event_time", "an integer number of microseconds within ±2^52", t);
  }
  const chars =
    len(e.event_type) + len(e.product_id) + len(e.category_id) + len(e.category_code) + len(e.brand) + len(e.user_id) + len(e.user_session);
  w.begin(FIXED_MESSAGE_BYTES + 3 * chars, 3 * len(e.user_id), schemaId);
  try {
    w.long(t);
    required(w, "event_type", e.event_type);
    required(w, "product_id", e.product_id);
    optional(w, "category_id", e.category_id);
    optional(w, "category_code", e.category_code);
    optional(w, "brand", e.brand);
    const price = e.price;
    if (price === null) {
      w.branch(0);
    } else if (typeof price === "number") {
      w.branch(1);
      w.double(price);
    } else {
      throw new EncodeError("price", "a number or null", price);
    }
    required(w, "user_id", e.user_id);
    optional(w, "user_session", e.user_session);
    w.keyString(e.user_id);
  } catch (err) {
    w.abandon();
    throw err;
  }
  w.end();
}

function required(w: BatchWriter, field: string, s: string): void {
  if (typeof s !== "string") throw new EncodeError(field, "a string", s);
  w.string(s);
}

function optional(w: BatchWriter, field: string, s: string | null): void {
  if (s === null) {
    w.branch(0);
    return;
  }
  if (typeof s !== "string") throw new EncodeError(field, "a string or null", s);
  w.branch(1);
  w.string(s);
}

function len(s: string | null): number {
  return typeof s === "string" ? s.length : 0;
}
