import { glue, ptr, writeU64, pointerAt, MESSAGE, PARTITION_UA, type Pointer } from "./ffi.ts";
import type { PackedMessages } from "./producer.ts";

const WORDS = MESSAGE.size / 4;

/**
 * The array of rd_kafka_message_t that rd_kafka_produce_batch reads, one chunk of a batch at a
 * time; librdkafka writes each message's enqueue error back into it.
 */
export class MessageArray {
  private readonly words: Uint32Array;
  private readonly base: number;
  private scratch: { words: Uint32Array; partitions: Int32Array } | null = null;

  constructor(readonly capacity: number) {
    this.words = new Uint32Array(capacity * WORDS);
    this.base = ptr(this.words);
  }

  /** Address of struct `i`, to hand librdkafka the structs from there on. */
  at(i: number): Pointer {
    return (this.base + i * MESSAGE.size) as Pointer;
  }

  /** The enqueue error librdkafka wrote for struct `i` (0 = enqueued). */
  error(i: number): number {
    return this.words[i * WORDS]! | 0;
  }

  opaque(i: number): number {
    return pointerAt(this.words, (i * WORDS) / 2 + MESSAGE.opaque / 8);
  }

  /** Of structs [offset, offset + count): how many were enqueued with a value (a pointer into the caller's buffer). */
  enqueuedValues(offset: number, count: number): number {
    const s = this.words;
    let n = 0;
    for (let i = offset; i < offset + count; i++) if (s[i * WORDS] === 0 && s[i * WORDS + MESSAGE.len / 4] !== 0) n++;
    return n;
  }

  /**
   * Reorders structs [0, n) so that messages `partitioner` (a librdkafka partitioner's address)
   * puts on the same partition are adjacent, in their order: see group_by_partition in glue/batch.c.
   */
  groupByPartition(n: number, partitioner: number, partitionCount: number): void {
    this.scratch ??= { words: new Uint32Array(this.words.length), partitions: new Int32Array(this.capacity) };
    const { words, partitions } = this.scratch;
    glue().groupByPartition(this.at(0), n, ptr(words) as Pointer, partitions, partitioner, partitionCount);
  }

  /**
   * Fills structs [0, n) with messages [start, start + n) of `batch`, whose buffers start at the
   * given addresses. Without `batch.opaques`, message i's opaque is `firstOpaque + i`.
   */
  pack(batch: PackedMessages, start: number, n: number, valuesBase: number, keysBase: number, firstOpaque: number): void {
    const s = this.words;
    const { valueOffsets, keyOffsets, opaques } = batch;
    s.fill(0, 0, n * WORDS);
    for (let i = 0; i < n; i++) {
      const m = start + i;
      const w = i * WORDS;
      s[w + MESSAGE.partition / 4] = PARTITION_UA >>> 0; // with F_PARTITION: let the partitioner pick
      const valueLength = valueOffsets[m + 1]! - valueOffsets[m]!;
      if (valueLength > 0) writeU64(s, w + MESSAGE.payload / 4, valuesBase + valueOffsets[m]!);
      writeU64(s, w + MESSAGE.len / 4, valueLength);
      if (keyOffsets) {
        // Problem: a NULL key pointer means "no key"; an empty key must still point somewhere.
        // Solution: always pass the address, with length 0 for an empty key.
        writeU64(s, w + MESSAGE.key / 4, keysBase + keyOffsets[m]!);
        writeU64(s, w + MESSAGE.keyLen / 4, keyOffsets[m + 1]! - keyOffsets[m]!);
      }
      writeU64(s, w + MESSAGE.opaque / 4, opaques ? opaques[m]! : firstOpaque + i);
    }
  }
}
