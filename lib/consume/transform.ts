import type { EcomEvent } from "../events/event.ts";
import { MAX_EVENT_TIME, MIN_EVENT_TIME } from "../events/timestamp.ts";
import type { RawRow } from "../sinks/sink.ts";

const text = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const trimmed = String(value).trim();
  return trimmed === "" ? null : trimmed;
};

/**
 * This stage's light transforms, from a decoded Avro record to a raw-table row: strings
 * trimmed, empty → NULL (never `''`), Kafka coordinates and ingestion time added. Returns a
 * reason string instead when the record cannot be a valid row (it then goes to the DLQ).
 */
export function toRawRow(record: Partial<EcomEvent>, partition: number, offset: number, ingestedAt: number): RawRow | string {
  const eventTime = record.event_time;
  if (typeof eventTime !== "number" || !Number.isSafeInteger(eventTime) || eventTime < MIN_EVENT_TIME || eventTime >= MAX_EVENT_TIME) {
    return `event_time ${String(eventTime)} is not a timestamp between 1970 and 2100`;
  }
  const eventType = text(record.event_type);
  const productId = text(record.product_id);
  const userId = text(record.user_id);
  if (!eventType) return "event_type is empty";
  if (!productId) return "product_id is empty";
  if (!userId) return "user_id is empty";
  const price = record.price ?? null;
  if (price !== null && !(Number.isFinite(price) && price >= 0)) return `price ${price} must be a finite number ≥ 0`;
  return {
    event_time: eventTime,
    event_type: eventType,
    product_id: productId,
    category_id: text(record.category_id),
    category_code: text(record.category_code),
    brand: text(record.brand),
    price,
    user_id: userId,
    user_session: text(record.user_session),
    _kafka_partition: partition,
    _kafka_offset: offset,
    _ingested_at: ingestedAt,
  };
}
