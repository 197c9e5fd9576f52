import { ptr } from "./ffi.ts";

interface LentBuffer {
  buffer: ArrayBufferLike;
  /** Enqueued messages whose value points into `buffer` and that have no delivery report yet. */
  outstanding: number;
}

/**
 * Value buffers librdkafka references instead of copying (`produceBatch(…, { copy: false })`).
 *
 * Problem: without RD_KAFKA_MSG_F_COPY, librdkafka keeps the caller's payload pointer until the
 * message's delivery report, while the garbage collector may free a buffer JS no longer holds.
 * Solution: hold each whole ArrayBuffer here, counting its outstanding messages; the delivery
 * reports say which buffer each message points into (by address range: the opaque belongs to the
 * caller, and reports come back out of order across partitions, so counting reports is not
 * enough). Whole ArrayBuffers, not views: two views of one buffer share one count. Lookups are
 * linear in the buffers held: lending suits a few large batch buffers, not one per message.
 */
export class LentBuffers {
  private entries: LentBuffer[] = [];
  /** [start, end) address of each entry's buffer, as glue's reports_scan reads them. */
  ranges = new Float64Array(2 * 8);
  /** Per entry: messages released by the reports just scanned (glue adds, `settle` clears). */
  released = new Float64Array(8);

  get count(): number {
    return this.entries.length;
  }

  /** Bytes held for librdkafka until their delivery reports arrive. */
  get bytes(): number {
    return this.entries.reduce((sum, e) => sum + e.buffer.byteLength, 0);
  }

  /** Records `messages` more enqueued messages whose values point into `values`' buffer. */
  lend(values: Uint8Array, messages: number): void {
    if (messages === 0) return;
    const entry = this.entries.find((e) => e.buffer === values.buffer);
    if (entry) {
      entry.outstanding += messages;
      return;
    }
    const start = ptr(values) - values.byteOffset;
    this.entries.push({ buffer: values.buffer, outstanding: messages });
    this.layOut(start, values.buffer.byteLength);
  }

  /** After a report scan: subtracts what was released and lets go of finished buffers. */
  settle(): void {
    let kept = 0;
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      entry.outstanding -= this.released[i]!;
      this.released[i] = 0;
      if (entry.outstanding <= 0) continue;
      this.entries[kept] = entry;
      this.ranges[2 * kept] = this.ranges[2 * i]!;
      this.ranges[2 * kept + 1] = this.ranges[2 * i + 1]!;
      kept++;
    }
    this.entries.length = kept;
  }

  /** Once librdkafka is destroyed nothing points into the buffers any more. */
  clear(): void {
    this.entries = [];
    this.released.fill(0);
  }

  private layOut(start: number, length: number): void {
    const i = this.entries.length - 1;
    if (this.released.length <= i) {
      const ranges = new Float64Array(4 * this.released.length);
      ranges.set(this.ranges);
      this.ranges = ranges;
      this.released = new Float64Array(2 * this.released.length);
    }
    this.ranges[2 * i] = start;
    this.ranges[2 * i + 1] = start + length;
  }
}
