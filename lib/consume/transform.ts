import type { EcomEvent } from "../events/event.ts";
import { MAX_EVENT_TIME, MIN_EVENT_TIME } from "../events/timestamp.ts";
import type { RawRow } from "../sinks/sink.ts";

/** Trimmed, and `''` → NULL (never stored as empty string). Cheap when nothing needs trimming. */
export function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.length === 0) return null;
  if (value.charCodeAt(0) > 32 && value.charCodeAt(value.length - 1) > 32) return value;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** This stage's light transform, in place: strings trimmed, empty → NULL (never `''`). */
export function cleanStrings(row: RawRow): void {
  // Field by field, not a loop over names: keyed access made this 3× slower (0.25 µs/row).
  row.event_type = clean(row.event_type)!;
  row.product_id = clean(row.product_id)!;
  row.category_id = clean(row.category_id);
  row.category_code = clean(row.category_code);
  row.brand = clean(row.brand);
  row.user_id = clean(row.user_id)!;
  row.user_session = clean(row.user_session);
}

/**
 * The checks a row must pass to land: event_time a timestamp in 1970–2099, event_type,
 * product_id and user_id present, price NULL or finite ≥ 0. Returns the reason when it cannot
 * land (it then goes to the dead-letter topic), else null.
 */
export function checkRow(row: RawRow): string | null {
  return eventProblem(row.event_time, !!row.event_type, !!row.product_id, !!row.user_id, row.price);
}

/** checkRow on the values themselves (the columnar reader has no row object). */
export function eventProblem(t: unknown, hasEventType: boolean, hasProductId: boolean, hasUserId: boolean, price: number | null): string | null {
  if (typeof t !== "number" || !Number.isSafeInteger(t) || t < MIN_EVENT_TIME || t >= MAX_EVENT_TIME) {
    return `event_time ${String(t)} is not a timestamp between 1970 and 2100`;
  }
  if (!hasEventType) return "event_type is empty";
  if (!hasProductId) return "product_id is empty";
  if (!hasUserId) return "user_id is empty";
  if (price !== null && !(Number.isFinite(price) && price >= 0)) return `price ${price} must be a finite number ≥ 0`;
  return null;
}

/** A decoded event (any writer schema) as a raw row, before `cleanStrings` and `checkRow`. */
export function rowFromEvent(event: Partial<EcomEvent>, partition: number, offset: number, ingestedAt: number): RawRow {
  return {
    event_time: event.event_time as number,
    event_type: event.event_type as string,
    product_id: event.product_id as string,
    category_id: event.category_id ?? null,
    category_code: event.category_code ?? null,
    brand: event.brand ?? null,
    price: event.price ?? null,
    user_id: event.user_id as string,
    user_session: event.user_session ?? null,
    _kafka_partition: partition,
    _kafka_offset: offset,
    _ingested_at: ingestedAt,
  };
}
