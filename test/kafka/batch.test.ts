import { describe, expect, it } from "bun:test";
import { MessageBatch } from "../../lib/kafka/batch.ts";
import { META } from "../../lib/kafka/layout.ts";

/** A batch of (topic handle, partition, offset) triples, as the glue would lay it out. */
function batchOf(messages: [number, number, number][]): MessageBatch {
  const meta = new Float64Array(messages.length * META.fields);
  messages.forEach(([rkt, partition, offset], i) => {
    meta[i * META.fields + META.rkt] = rkt;
    meta[i * META.fields + META.partition] = partition;
    meta[i * META.fields + META.offset] = offset;
    meta[i * META.fields + META.valueLen] = -1;
    meta[i * META.fields + META.keyLen] = -1;
  });
  return new MessageBatch(messages.length, new Uint8Array(0), meta, new Map([[1, "a"], [2, "b"]]));
}

describe("MessageBatch.lastOffsets", () => {
  it("finds each partition's highest offset across interleaved runs, topics and a replayed range", () => {
    const batch = batchOf([
      [1, 0, 5], [1, 0, 6], // a: p0 run
      [1, 1, 10], // a: p1
      [1, 0, 7], [1, 0, 8], // a: p0 again
      [1, 0, 3], [1, 0, 4], // a: p0 replayed from lower offsets: 8 stays the highest
      [2, 0, 100], // b: p0, same partition number, other topic
    ]);
    const sorted = batch.lastOffsets().sort((x, y) => x.topic.localeCompare(y.topic) || x.partition - y.partition);
    expect(sorted).toEqual([
      { topic: "a", partition: 0, offset: 8 },
      { topic: "a", partition: 1, offset: 10 },
      { topic: "b", partition: 0, offset: 100 },
    ]);
  });

  it("is empty for an empty batch and a single message is its own last offset", () => {
    expect(batchOf([]).lastOffsets()).toEqual([]);
    expect(batchOf([[1, 3, 42]]).lastOffsets()).toEqual([{ topic: "a", partition: 3, offset: 42 }]);
  });
});
