import { STRING_FIELDS, type RawRow, type RowColumns } from "../sinks/sink.ts";

/**
 * Builds the RowColumns of one consumed batch. Strings are byte ranges of `text` (the batch's
 * buffer, where the Avro strings already are); a string that is not there as-is — trimmed or
 * repaired non-ASCII text, or a row decoded by avsc — is copied to a side buffer, appended to
 * `text` by finish(). A row becomes part of the batch only when `commit()` counts it, so a
 * reader can fill a row and drop it when it turns out invalid.
 */
export class RowColumnsBuilder {
  /** Rows committed so far; the next row is written at this index. */
  length = 0;
  readonly eventTime: Float64Array;
  readonly price: Float64Array;
  readonly priceIsNull: Uint8Array;
  readonly starts: Int32Array[];
  readonly lengths: Int32Array[];
  readonly partition: Float64Array;
  readonly offset: Float64Array;
  readonly ingestedAt: Float64Array;
  private side = Buffer.alloc(0);
  private sideUsed = 0;

  constructor(
    capacity: number,
    readonly text: Uint8Array,
  ) {
    this.eventTime = new Float64Array(capacity);
    this.price = new Float64Array(capacity);
    this.priceIsNull = new Uint8Array(capacity);
    this.starts = STRING_FIELDS.map(() => new Int32Array(capacity));
    this.lengths = STRING_FIELDS.map(() => new Int32Array(capacity));
    this.partition = new Float64Array(capacity);
    this.offset = new Float64Array(capacity);
    this.ingestedAt = new Float64Array(capacity);
  }

  /** Sets string field `field` (index into STRING_FIELDS) of the current row to a value not in `text`. */
  setString(field: number, value: string | null): void {
    const row = this.length;
    if (value === null) {
      this.lengths[field]![row] = -1;
      return;
    }
    const bytes = Buffer.byteLength(value);
    if (this.sideUsed + bytes > this.side.length) {
      const grown = Buffer.alloc(Math.max(2 * this.side.length, this.sideUsed + bytes, 4096));
      this.side.copy(grown, 0, 0, this.sideUsed);
      this.side = grown;
    }
    // Negative until finish(): an offset into the side buffer, not into `text`.
    this.starts[field]![row] = -1 - this.sideUsed;
    this.lengths[field]![row] = this.side.write(value, this.sideUsed, "utf8");
    this.sideUsed += bytes;
  }

  /** Fills the current row from an object (the avsc path) and commits it. */
  addRow(row: RawRow): void {
    STRING_FIELDS.forEach((field, k) => this.setString(k, row[field]));
    this.commit(row.event_time, row.price, row._kafka_partition, row._kafka_offset, row._ingested_at);
  }

  /** Sets the current row's numbers and counts it. */
  commit(eventTime: number, price: number | null, partition: number, offset: number, ingestedAt: number): void {
    const i = this.length++;
    this.eventTime[i] = eventTime;
    if (price === null) this.priceIsNull[i] = 1;
    else this.price[i] = price;
    this.partition[i] = partition;
    this.offset[i] = offset;
    this.ingestedAt[i] = ingestedAt;
  }

  /** The committed rows; the builder must not be used afterwards. */
  finish(): RowColumns {
    const n = this.length;
    let text = this.text;
    if (this.sideUsed > 0) {
      const base = text.byteLength;
      text = Buffer.concat([text, this.side.subarray(0, this.sideUsed)]);
      for (const starts of this.starts) for (let i = 0; i < n; i++) if (starts[i]! < 0) starts[i] = base - 1 - starts[i]!;
    }
    return {
      length: n,
      text,
      eventTime: this.eventTime.subarray(0, n),
      price: this.price.subarray(0, n),
      priceIsNull: this.priceIsNull.subarray(0, n),
      starts: this.starts.map((column) => column.subarray(0, n)),
      lengths: this.lengths.map((column) => column.subarray(0, n)),
      partition: this.partition.subarray(0, n),
      offset: this.offset.subarray(0, n),
      ingestedAt: this.ingestedAt.subarray(0, n),
    };
  }
}
