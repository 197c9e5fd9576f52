import { STRING_FIELDS, type RawRow, type RowColumns } from "./sink.ts";

/**
 * What the local sink accepts: a row is written exactly or rejected with a reason, never altered.
 */

const MAX_INT32 = 2 ** 31 - 1;

/**
 * Why a row cannot be written as a valid landing row, or undefined when it can. Timestamps must
 * be whole microseconds within ±2^53 (1684-07-28 … 2255-06-05 UTC): a JS number beyond that has
 * already lost digits, so writing it would store a time nobody sent. Prices must be finite (a NaN
 * would poison every sum downstream); strings may be anything, including empty.
 */
export function rejectReason(row: RawRow): string | undefined {
  return isValid(row) ? undefined : explain(row);
}

// undefined counts as NULL, as everywhere in the sink (`?? NULL`).
const isText = (value: unknown) => value == null || typeof value === "string";

/** The common case in one expression: ~2× faster than explain() looping over the fields. */
function isValid(row: RawRow): boolean {
  const price = row.price;
  return (
    Number.isSafeInteger(row.event_time) &&
    isText(row.event_type) &&
    isText(row.product_id) &&
    isText(row.category_id) &&
    isText(row.category_code) &&
    isText(row.brand) &&
    isText(row.user_id) &&
    isText(row.user_session) &&
    (price == null || (typeof price === "number" && Number.isFinite(price))) &&
    Number.isInteger(row._kafka_partition) &&
    row._kafka_partition >= 0 &&
    row._kafka_partition <= MAX_INT32 &&
    Number.isSafeInteger(row._kafka_offset) &&
    row._kafka_offset >= 0 &&
    Number.isSafeInteger(row._ingested_at)
  );
}

/** The reason a row failed isValid. */
function explain(row: RawRow): string {
  const numbers = () => explainNumbers(row.event_time, row.price, row._kafka_partition, row._kafka_offset, row._ingested_at);
  // Same order as the columns: event_time, then the strings, then the other numbers.
  if (!Number.isSafeInteger(row.event_time)) return numbers();
  for (const field of STRING_FIELDS) {
    const value = row[field];
    if (value != null && typeof value !== "string") return `${field} must be a string or null, got ${typeof value}`;
  }
  return numbers();
}

/**
 * rejectReason for row `i` of columns (whose strings are valid by construction), or undefined.
 * The common case is one expression over the numbers, like isValid.
 */
export function columnRejectReason(part: RowColumns, i: number): string | undefined {
  const t = part.eventTime[i]!;
  const price = part.price[i]!;
  const partition = part.partition[i]!;
  const offset = part.offset[i]!;
  const ingestedAt = part.ingestedAt[i]!;
  const valid =
    Number.isSafeInteger(t) &&
    (part.priceIsNull[i] === 1 || Number.isFinite(price)) &&
    Number.isInteger(partition) &&
    partition >= 0 &&
    partition <= MAX_INT32 &&
    Number.isSafeInteger(offset) &&
    offset >= 0 &&
    Number.isSafeInteger(ingestedAt);
  return valid ? undefined : explainNumbers(t, part.priceIsNull[i] === 1 ? null : price, partition, offset, ingestedAt);
}

/** The reason numbers of a row are not acceptable (see rejectReason). */
function explainNumbers(t: unknown, price: unknown, partition: unknown, offset: unknown, ingestedAt: unknown): string {
  if (!Number.isSafeInteger(t)) {
    return `event_time ${String(t)} is not a whole number of microseconds within ±2^53 (1684-07-28 … 2255-06-05 UTC)`;
  }
  if (price != null && (typeof price !== "number" || !Number.isFinite(price))) {
    return `price must be a finite number or null, got ${String(price)}`;
  }
  if (!Number.isInteger(partition) || (partition as number) < 0 || (partition as number) > MAX_INT32) {
    return `_kafka_partition ${String(partition)} is not an integer in 0 … 2^31-1`;
  }
  if (!Number.isSafeInteger(offset) || (offset as number) < 0) {
    return `_kafka_offset ${String(offset)} is not a whole number in 0 … 2^53`;
  }
  if (!Number.isSafeInteger(ingestedAt)) {
    return `_ingested_at ${String(ingestedAt)} is not a whole number of microseconds within ±2^53`;
  }
  return "invalid row";
}
