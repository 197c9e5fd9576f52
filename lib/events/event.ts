/**
 * One e-commerce click event as it travels through the pipeline — the Avro record of
 * schemas/ecom_event.avsc. Ids stay strings end to end (they exceed 2^53); an empty CSV field
 * is `null`, never `''`.
 */
export interface EcomEvent {
  /** UTC, microseconds since the Unix epoch (Avro long / timestamp-micros). */
  event_time: number;
  event_type: string;
  product_id: string;
  category_id: string | null;
  category_code: string | null;
  brand: string | null;
  price: number | null;
  user_id: string;
  user_session: string | null;
}

/** The event types the reference data contains. `cart` is the add-to-cart event. */
export const EVENT_TYPES = ["view", "cart", "remove_from_cart", "purchase"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The CSV header of the public datasets, in their column order. */
export const CSV_COLUMNS = [
  "event_time",
  "event_type",
  "product_id",
  "category_id",
  "category_code",
  "brand",
  "price",
  "user_id",
  "user_session",
] as const;

export const DEFAULT_TOPIC = "ecom_events";
export const DEFAULT_DLQ_TOPIC = "ecom_events_dlq";
/** TopicNameStrategy: the value schema's subject. */
export const valueSubject = (topic: string) => `${topic}-value`;
