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
 * A sink that cannot write throws; it must not silently drop rows.
 */
export interface Sink {
  readonly name: string;
  /** Creates whatever must exist (folders, dataset, table); idempotent. */
  open(): Promise<void>;
  write(rows: RawRow[]): Promise<WriteResult>;
  close(): Promise<void>;
}
