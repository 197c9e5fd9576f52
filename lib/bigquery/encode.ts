import type { RawRow, RejectedRow } from "../sinks/sink.ts";

/** A row ready for tabledata.insertAll: its `{insertId, json}` entry serialised once, and that entry's size. */
export interface EncodedRow {
  row: RawRow;
  insertId: string;
  /** `{"insertId":…,"json":{…}}`, spliced verbatim into request bodies. */
  entry: string;
  /** UTF-8 byte length of `entry`. */
  bytes: number;
}

// BigQuery TIMESTAMP range: 0001-01-01 00:00:00 to 9999-12-31 23:59:59.999999 UTC, in microseconds.
const MIN_MICROS = -62_135_596_800_000_000;
const MAX_MICROS = 253_402_300_799_999_999;

/**
 * Formats UTC microseconds since the epoch as `2020-09-24T11:57:06.123456Z`: the form the official
 * client itself sends for TIMESTAMP values, accepted by the API and by the emulator (checked: the
 * six fractional digits survive, `UNIX_MICROS(event_time)` returns the input). A JSON number of
 * epoch seconds would also be accepted, but 16 significant digits are at the edge of a double.
 */
export function formatTimestamp(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  // toISOString → "2020-09-24T11:57:06.000Z"; keep up to the seconds and append our 6 digits.
  const iso = new Date(seconds * 1000).toISOString();
  return `${iso.slice(0, 19)}.${String(fraction).padStart(6, "0")}Z`;
}

/**
 * Why a row cannot be sent as it is, or `undefined`. Only what would otherwise be silently altered
 * or crash the encoder is checked: a non-finite price would serialise as `null`, a timestamp out of
 * range or not an integer is not a TIMESTAMP. Everything else is left to BigQuery to judge.
 */
export function invalidReason(row: RawRow): string | undefined {
  for (const field of ["event_time", "_ingested_at"] as const) {
    const value = row[field];
    if (!Number.isSafeInteger(value) || value < MIN_MICROS || value > MAX_MICROS) {
      return `${field}: ${value} is not a TIMESTAMP in microseconds between years 0001 and 9999`;
    }
  }
  if (row.price !== null && !Number.isFinite(row.price)) {
    return `price: ${row.price} is not a finite FLOAT64`;
  }
  for (const field of ["_kafka_partition", "_kafka_offset"] as const) {
    if (!Number.isSafeInteger(row[field]) || row[field] < 0) {
      return `${field}: ${row[field]} is not a non-negative integer`;
    }
  }
  return undefined;
}

/**
 * Serialises rows for insertAll. insertId is `topic-partition-offset`: deterministic, so a retried
 * request (ours, or a whole batch redelivered by Kafka) carries the same ids and BigQuery's
 * best-effort deduplication can drop the copy. Rows failing `invalidReason` are returned as
 * rejected instead of being sent.
 */
export function encodeRows(rows: RawRow[], topic: string): { encoded: EncodedRow[]; rejected: RejectedRow[] } {
  const encoded: EncodedRow[] = [];
  const rejected: RejectedRow[] = [];
  for (const row of rows) {
    const reason = invalidReason(row);
    if (reason) {
      rejected.push({ row, reason });
      continue;
    }
    const insertId = `${topic}-${row._kafka_partition}-${row._kafka_offset}`;
    const entry = JSON.stringify({
      insertId,
      json: {
        event_time: formatTimestamp(row.event_time),
        event_type: row.event_type,
        product_id: row.product_id,
        category_id: row.category_id,
        category_code: row.category_code,
        brand: row.brand,
        price: row.price,
        user_id: row.user_id,
        user_session: row.user_session,
        _kafka_partition: row._kafka_partition,
        _kafka_offset: row._kafka_offset,
        _ingested_at: formatTimestamp(row._ingested_at),
      },
    });
    encoded.push({ row, insertId, entry, bytes: Buffer.byteLength(entry) });
  }
  return { encoded, rejected };
}
