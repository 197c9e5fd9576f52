import { describe, expect, it } from "bun:test";
import { partitionerAddress, ptr } from "../../lib/kafka/ffi.ts";
import { MessageArray } from "../../lib/kafka/message-array.ts";
import { Consumer } from "../../lib/kafka/consumer.ts";
import { encodeProduceArgs } from "../../lib/kafka/message.ts";
import { Producer } from "../../lib/kafka/producer.ts";
import { freshTopic, uniqueName } from "./helpers.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

describe("keyed messages grouped by partition before they are enqueued", () => {
  it("orders a chunk by the partition librdkafka's partitioner picks, stably, keyless messages last", () => {
    const keys = Array.from({ length: 1_000 }, (_, i) => (i % 97 === 0 ? "" : `user-${i % 100}`));
    const batch = encodeProduceArgs(keys.map((key, i) => ({ key, value: `v${i}`, opaque: i })));
    const structs = new MessageArray(1_000);
    structs.pack(batch, 0, 1_000, ptr(batch.values), ptr(batch.keys!), 0);
    structs.groupByPartition(1_000, partitionerAddress()!, 6);

    // consistent_random: CRC-32 of the key modulo the partition count; empty keys are random.
    const partitionOf = (key: string) => (key === "" ? 6 : Bun.hash.crc32(encoder.encode(key)) % 6);
    const expected = keys.map((key, i) => ({ i, p: partitionOf(key) })).sort((a, b) => a.p - b.p || a.i - b.i).map((x) => x.i);
    expect(Array.from({ length: 1_000 }, (_, i) => structs.opaque(i))).toEqual(expected);
  });

  it("knows librdkafka's partitioners by their property names", () => {
    for (const name of ["consistent", "consistent_random", "murmur2", "murmur2_random", "fnv1a", "fnv1a_random"]) {
      expect(partitionerAddress(name)).toBeGreaterThan(0);
    }
    expect(partitionerAddress("random")).toBeNull();
    expect(partitionerAddress("no-such-partitioner")).toBeNull();
  });

  it("keeps every key's messages in order, across batches and partitions", async () => {
    const { topic, bootstrap } = await freshTopic("grouped", 6);
    const producer = new Producer({ config: { "bootstrap.servers": bootstrap } });
    const total = 60_000;
    const message = (n: number) => ({ key: `user-${n % 250}`, value: String(n) });
    // The first batch teaches the producer the partition count; the others are grouped.
    await producer.produce(topic, Array.from({ length: 5_000 }, (_, n) => message(n)));
    expect(await producer.flush()).toBe(0);
    for (let start = 5_000; start < total; start += 11_000) {
      const count = Math.min(11_000, total - start);
      await producer.produce(topic, Array.from({ length: count }, (_, i) => message(start + i)));
    }
    expect(await producer.flush()).toBe(0);
    await producer.close();

    const consumer = new Consumer({ config: { "bootstrap.servers": bootstrap, "group.id": uniqueName("g") } });
    consumer.subscribe([topic]);
    const last = new Map<string, number>();
    let received = 0;
    let outOfOrder = 0;
    while (received < total) {
      for (const m of await consumer.consumeBatch(10_000, 200)) {
        const key = decoder.decode(m.key!);
        const n = Number(decoder.decode(m.value!));
        if ((last.get(key) ?? -1) >= n) outOfOrder++;
        last.set(key, n);
        received++;
      }
    }
    await consumer.close();
    expect(outOfOrder).toBe(0);
    expect(last.size).toBe(250);
  });
});
