import { HEADER_BYTES, writeHeader } from "./wire.ts";

/**
 * A batch of framed messages, back to back in one buffer: message i is
 * `values.subarray(valueOffsets[i], valueOffsets[i + 1])`, and its Kafka key (user_id as UTF-8)
 * is `keys.subarray(keyOffsets[i], keyOffsets[i + 1])` — base pointer + offsets, ready for a
 * batched native produce call.
 *
 * Problem: the buffers belong to the writer and are overwritten by its next batch.
 * Solution: produce (librdkafka copies with RD_KAFKA_MSG_F_COPY) or copy before the next batch.
 */
export interface EncodedBatch {
  count: number;
  values: Uint8Array;
  valueOffsets: Uint32Array;
  keys: Uint8Array;
  keyOffsets: Uint32Array;
}

const TWO_POW_28 = 268_435_456;

/**
 * The low-level Avro writer both encoders share: growable value and key buffers reused from
 * batch to batch, and the few Avro primitives our schema needs (zigzag varint longs,
 * length-prefixed UTF-8, union branch bytes, little-endian doubles). Callers `reserve` an upper
 * bound before writing a message, so the primitives never check capacity.
 */
export class BatchWriter {
  values: Uint8Array;
  keys: Uint8Array;
  /** Write positions in `values` and `keys`. */
  pos = 0;
  kpos = 0;
  count = 0;
  private view: DataView;
  private valueOffsets = new Uint32Array(1024);
  private keyOffsets = new Uint32Array(1024);
  private readonly utf8 = new TextEncoder();

  constructor(initialBytes = 1 << 20) {
    this.values = new Uint8Array(initialBytes);
    this.view = new DataView(this.values.buffer);
    this.keys = new Uint8Array(Math.max(1024, initialBytes >> 2));
  }

  /** Starts a new batch (the previous one's buffers are reused). */
  reset(): void {
    this.pos = 0;
    this.kpos = 0;
    this.count = 0;
  }

  /** Makes room for a message of at most `valueBytes` and a key of at most `keyBytes`, and opens it. */
  begin(valueBytes: number, keyBytes: number, schemaId: number): void {
    if (this.pos + valueBytes > this.values.length) this.growValues(this.pos + valueBytes);
    if (this.kpos + keyBytes > this.keys.length) this.growKeys(this.kpos + keyBytes);
    if (this.count + 2 > this.valueOffsets.length) this.growOffsets();
    this.valueOffsets[this.count] = this.pos;
    this.keyOffsets[this.count] = this.kpos;
    this.pos = writeHeader(this.values, this.pos, schemaId);
  }

  /** Closes the message opened by `begin`. */
  end(): void {
    this.count++;
  }

  /** Drops the message opened by `begin` (its bytes will be overwritten). */
  abandon(): void {
    this.pos = this.valueOffsets[this.count] as number;
    this.kpos = this.keyOffsets[this.count] as number;
  }

  /** The batch so far, as views of the shared buffers. */
  result(): EncodedBatch {
    const n = this.count;
    this.valueOffsets[n] = this.pos;
    this.keyOffsets[n] = this.kpos;
    return {
      count: n,
      values: this.values.subarray(0, this.pos),
      valueOffsets: this.valueOffsets.subarray(0, n + 1),
      keys: this.keys.subarray(0, this.kpos),
      keyOffsets: this.keyOffsets.subarray(0, n + 1),
    };
  }

  /** Zigzag varint, exact for |v| < 2^52 (doubles: `>>>` only works on 32 bits). */
  long(v: number): void {
    const out = this.values;
    let pos = this.pos;
    let n = v >= 0 ? v * 2 : -v * 2 - 1;
    if (n >= TWO_POW_28) {
      const lo = n % TWO_POW_28;
      out[pos++] = (lo & 0x7f) | 0x80;
      out[pos++] = ((lo >>> 7) & 0x7f) | 0x80;
      out[pos++] = ((lo >>> 14) & 0x7f) | 0x80;
      out[pos++] = ((lo >>> 21) & 0x7f) | 0x80;
      n = (n - lo) / TWO_POW_28;
    }
    while (n >= 0x80) {
      out[pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    out[pos++] = n;
    this.pos = pos;
  }

  /** A union branch index (0 → null, 1 → the value in our `["null", T]` unions). */
  branch(index: number): void {
    this.values[this.pos++] = index << 1;
  }

  double(v: number): void {
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /**
   * Length-prefixed UTF-8 from a JS string. Fast path: short ASCII is copied char by char after
   * a 1-byte length (≈3× TextEncoder.encodeInto for 10–30 chars); anything else takes the
   * exact path.
   */
  string(s: string): void {
    const out = this.values;
    const start = this.pos;
    const n = s.length;
    if (n < 64) {
      let p = start + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        out[p++] = c;
      }
      if (i === n) {
        out[start] = n << 1;
        this.pos = p;
        return;
      }
    }
    const bytes = this.utf8.encode(s);
    this.long(bytes.length);
    out.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Length-prefixed bytes copied from `src[start, end)` — UTF-8 already, e.g. straight from a CSV file. */
  bytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n < 64) this.values[this.pos++] = n << 1;
    else this.long(n);
    const out = this.values;
    let p = this.pos;
    for (let i = start; i < end; i++) out[p++] = src[i] as number;
    this.pos = p;
  }

  /** The key as UTF-8 from a JS string (no length prefix). */
  keyString(s: string): void {
    const out = this.keys;
    const n = s.length;
    const kpos = this.kpos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.kpos = kpos + this.utf8.encodeInto(s, out.subarray(kpos)).written;
        return;
      }
      out[kpos + i] = c;
    }
    this.kpos = kpos + n;
  }

  /** The key copied from `src[start, end)`. */
  keyBytes(src: Uint8Array, start: number, end: number): void {
    const out = this.keys;
    let p = this.kpos;
    for (let i = start; i < end; i++) out[p++] = src[i] as number;
    this.kpos = p;
  }

  private growValues(min: number): void {
    const next = new Uint8Array(Math.max(min, this.values.length * 2));
    next.set(this.values.subarray(0, this.pos));
    this.values = next;
    this.view = new DataView(next.buffer);
  }

  private growKeys(min: number): void {
    const next = new Uint8Array(Math.max(min, this.keys.length * 2));
    next.set(this.keys.subarray(0, this.kpos));
    this.keys = next;
  }

  private growOffsets(): void {
    const v = new Uint32Array(this.valueOffsets.length * 2);
    v.set(this.valueOffsets);
    this.valueOffsets = v;
    const k = new Uint32Array(this.keyOffsets.length * 2);
    k.set(this.keyOffsets);
    this.keyOffsets = k;
  }
}

/** Upper bound of a framed message's fixed part: header, long, 6 unions, double, 7 length varints. */
export const FIXED_MESSAGE_BYTES = HEADER_BYTES + 10 + 6 + 8 + 7 * 5;
