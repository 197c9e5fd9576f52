import type { EcomEvent } from "../events/event.ts";

/**
 * A row of the raw table `kafka_ecom_events`: the event plus its Kafka coordinates, which make
 * redelivered rows detectable so staging can deduplicate exactly.
 */
export interface RawRow extends EcomEvent {
  _kafka_partition: number;
  _kafka_offset: number;
  /** When the consumer handed the row to the sink, UTC microseconds since the epoch. */
  _ingested_at: number;
}

/** The string columns of a row (all nullable in the raw table), in RowColumns order. */
export const STRING_FIELDS = [
  "event_type",
  "product_id",
  "category_id",
  "category_code",
  "brand",
  "user_id",
  "user_session",
] as const satisfies readonly (keyof RawRow)[];

/**
 * Raw rows in columns, as the consumer decodes them: numbers in typed arrays, and every string
 * as a byte range of `text` (UTF-8) — for a consumed Kafka batch, `text` is the batch's own
 * buffer and the ranges point at the Avro strings inside it, so no JS string or row object is
 * ever made. Why: row objects (7 strings each) cost the decoder ~0.5 µs per event to build and
 * the Parquet sink as much again to take apart, and buffered they made most of the consumer's
 * ~1 GB peak RSS on the 885k-event backfill (~300 bytes a row in columns, buffer included).
 */
export interface RowColumns {
  readonly length: number;
  readonly text: Uint8Array;
  /** Microseconds since the epoch, UTC. */
  readonly eventTime: Float64Array;
  readonly price: Float64Array;
  /** 1 where price is NULL. */
  readonly priceIsNull: Uint8Array;
  /** Per STRING_FIELDS entry, where each value starts in `text`… */
  readonly starts: readonly Int32Array[];
  /** …and its length in bytes: -1 is NULL (0 is the empty string). */
  readonly lengths: readonly Int32Array[];
  readonly partition: Float64Array;
  readonly offset: Float64Array;
  readonly ingestedAt: Float64Array;
}

/**
 * What the consumer hands a sink at a flush: the RowColumns of each batch it consumed since the
 * last one, kept apart (joining them would copy every buffer once more for nothing).
 */
export class RowBatch {
  readonly length: number;

  constructor(readonly parts: readonly RowColumns[]) {
    this.length = parts.reduce((sum, part) => sum + part.length, 0);
  }

  /** Row `i` of `part` as an object (for row-based sinks and for rejections). */
  static row(part: RowColumns, i: number, text = Buffer.from(part.text.buffer, part.text.byteOffset, part.text.byteLength)): RawRow {
    const string = (field: number): string | null => {
      const length = part.lengths[field]![i]!;
      const start = part.starts[field]![i]!;
      return length < 0 ? null : text.toString("utf8", start, start + length);
    };
    return {
      event_time: part.eventTime[i]!,
      event_type: string(0)!,
      product_id: string(1)!,
      category_id: string(2),
      category_code: string(3),
      brand: string(4),
      price: part.priceIsNull[i] ? null : part.price[i]!,
      user_id: string(5)!,
      user_session: string(6),
      _kafka_partition: part.partition[i]!,
      _kafka_offset: part.offset[i]!,
      _ingested_at: part.ingestedAt[i]!,
    };
  }

  /** Every row as an object, in order. */
  toRows(): RawRow[] {
    const rows: RawRow[] = [];
    for (const part of this.parts) {
      const text = Buffer.from(part.text.buffer, part.text.byteOffset, part.text.byteLength);
      for (let i = 0; i < part.length; i++) rows.push(RowBatch.row(part, i, text));
    }
    return rows;
  }

  /**
   * Row objects in columns. Throws a TypeError for a string field holding something else (a
   * sink validates row objects before converting them).
   */
  static fromRows(rows: readonly RawRow[]): RowBatch {
    const n = rows.length;
    const values: (string | null)[] = [];
    for (const row of rows) for (const field of STRING_FIELDS) values.push(row[field] ?? null);
    let bytes = 0;
    for (const value of values) {
      if (value !== null && typeof value !== "string") throw new TypeError(`a string field holds a ${typeof value}`);
      if (value) bytes += Buffer.byteLength(value);
    }
    const text = Buffer.alloc(Math.max(bytes, 1));
    const starts = STRING_FIELDS.map(() => new Int32Array(n));
    const lengths = STRING_FIELDS.map(() => new Int32Array(n));
    let at = 0;
    values.forEach((value, k) => {
      const field = k % STRING_FIELDS.length;
      const i = (k - field) / STRING_FIELDS.length;
      starts[field]![i] = at;
      lengths[field]![i] = value === null ? -1 : text.write(value, at, "utf8");
      at += Math.max(lengths[field]![i]!, 0);
    });
    const numbers = (pick: (row: RawRow) => number | null) => Float64Array.from(rows, (row) => pick(row) ?? 0);
    return new RowBatch([
      {
        length: n,
        text,
        eventTime: numbers((row) => row.event_time),
        price: numbers((row) => row.price),
        priceIsNull: Uint8Array.from(rows, (row) => (row.price == null ? 1 : 0)),
        starts,
        lengths,
        partition: numbers((row) => row._kafka_partition),
        offset: numbers((row) => row._kafka_offset),
        ingestedAt: numbers((row) => row._ingested_at),
      },
    ]);
  }
}

/** A row the sink refused as invalid; the consumer sends it to the dead-letter topic. */
export interface RejectedRow {
  row: RawRow;
  reason: string;
}

export interface WriteResult {
  /** Rows durably written (or already present, for idempotent sinks). */
  written: number;
  rejected: RejectedRow[];
}

/**
 * A warehouse the consumer writes to. `write` resolves only once the rows are durable: the
 * consumer stores Kafka offsets after it resolves, so a sink must never resolve early
 * (at-least-once; duplicates are removed downstream by (_kafka_partition, _kafka_offset)).
 * A sink that cannot write throws; it must not silently drop rows. It takes the consumer's
 * columnar RowBatch, or row objects (tests, tools); the RowBatch and its buffers must stay
 * untouched until `write` settles.
 */
export interface Sink {
  readonly name: string;
  /** Creates whatever must exist (folders, dataset, table); idempotent. */
  open(): Promise<void>;
  write(rows: RowBatch | RawRow[]): Promise<WriteResult>;
  close(): Promise<void>;
}
