import { describe, expect, it } from "bun:test";
import { Consumer } from "../../lib/kafka/consumer.ts";
import { Producer } from "../../lib/kafka/producer.ts";
import { freshTopic, packedMessages, uniqueName } from "./helpers.ts";

const decoder = new TextDecoder();

/** Consumes until `expected` messages arrived or `timeoutMs` passed; records key → partitions. */
async function drain(consumers: Consumer[], expected: number, timeoutMs = 60_000) {
  const seen = new Uint8Array(expected);
  const keyPartitions = new Map<string, Set<number>>();
  let total = 0;
  let duplicates = 0;
  const perConsumer = consumers.map(() => 0);
  const deadline = performance.now() + timeoutMs;
  while (total < expected && performance.now() < deadline) {
    for (const [i, consumer] of consumers.entries()) {
      const batch = await consumer.consumeBatch(50_000, 50);
      for (const m of batch) {
        const n = Number(decoder.decode(m.value!));
        if (seen[n]) duplicates++;
        seen[n] = 1;
        const key = decoder.decode(m.key!);
        (keyPartitions.get(key) ?? keyPartitions.set(key, new Set()).get(key)!).add(m.partition);
      }
      consumer.storeOffsets(batch);
      total += batch.length;
      perConsumer[i]! += batch.length;
    }
  }
  return { total, duplicates, keyPartitions, perConsumer, missing: expected - seen.reduce((a, b) => a + b, 0) };
}

describe("producer → broker → consumer", () => {
  it("delivers 1,000,000 keyed messages once each, every key on one partition", async () => {
    const { topic, bootstrap } = await freshTopic("roundtrip");
    const producer = new Producer({ config: { "bootstrap.servers": bootstrap } });
    const total = 1_000_000;
    for (let start = 0; start < total; start += 100_000) {
      await producer.produceBatch(topic, packedMessages(start, 100_000));
      producer.poll();
    }
    expect(await producer.flush(60_000)).toBe(0);
    expect(producer.delivered).toBe(total);
    expect(producer.failed).toBe(0);
    await producer.close();

    const consumer = new Consumer({ config: { "bootstrap.servers": bootstrap, "group.id": uniqueName("g") } });
    consumer.subscribe([topic]);
    const result = await drain([consumer], total);
    expect(result.total).toBe(total);
    expect(result.duplicates).toBe(0);
    expect(result.missing).toBe(0);
    for (const partitions of result.keyPartitions.values()) expect(partitions.size).toBe(1);
    expect(consumer.caughtUp()).toBe(true);
    await consumer.close();
  });

  it("splits partitions between two members of a group, which together read everything once", async () => {
    const { topic, bootstrap } = await freshTopic("group", 6);
    const config = { "bootstrap.servers": bootstrap, "group.id": uniqueName("g"), "partition.assignment.strategy": "cooperative-sticky" };
    const a = new Consumer({ config });
    const b = new Consumer({ config });
    a.subscribe([topic]);
    b.subscribe([topic]);
    // Both join (the topic is still empty), then data arrives.
    const deadline = performance.now() + 30_000;
    while ((a.assignment().length === 0 || b.assignment().length === 0) && performance.now() < deadline) {
      expect(await a.consumeBatch(100, 10)).toEqual([]);
      expect(await b.consumeBatch(100, 10)).toEqual([]);
    }
    expect([...a.assignment(), ...b.assignment()].map((p) => p.partition).sort()).toEqual([0, 1, 2, 3, 4, 5]);

    const producer = new Producer({ config: { "bootstrap.servers": bootstrap } });
    await producer.produceBatch(topic, packedMessages(0, 60_000));
    expect(await producer.flush()).toBe(0);
    await producer.close();

    const result = await drain([a, b], 60_000);
    expect(result.total).toBe(60_000);
    expect(result.duplicates).toBe(0);
    expect(result.perConsumer[0]).toBeGreaterThan(0);
    expect(result.perConsumer[1]).toBeGreaterThan(0);
    await a.close();
    await b.close();
  });

  it("starts a group without committed offsets where auto.offset.reset says", async () => {
    const { topic, bootstrap } = await freshTopic("reset", 1);
    const producer = new Producer({ config: { "bootstrap.servers": bootstrap } });
    await producer.produceBatch(topic, packedMessages(0, 100));
    expect(await producer.flush()).toBe(0);

    const earliest = new Consumer({ config: { "bootstrap.servers": bootstrap, "group.id": uniqueName("g") } });
    earliest.subscribe([topic]);
    let batch = await earliest.consumeBatch(1_000, 100);
    while (batch.length === 0) batch = await earliest.consumeBatch(1_000, 100);
    expect(batch[0]!.offset).toBe(0);
    await earliest.close();

    // latest: what was there before the assignment is skipped, what comes after is read.
    const latest = new Consumer({ config: { "bootstrap.servers": bootstrap, "group.id": uniqueName("g"), "auto.offset.reset": "latest" } });
    latest.subscribe([topic]);
    while (latest.assignment().length === 0) await latest.consumeBatch(1_000, 100);
    expect(await latest.consumeBatch(1_000, 500)).toEqual([]);
    await producer.produceBatch(topic, packedMessages(100, 10));
    expect(await producer.flush()).toBe(0);
    const after: number[] = [];
    while (after.length < 10) after.push(...(await latest.consumeBatch(1_000, 100)).map((m) => m.offset));
    expect(after).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    await latest.close();
    await producer.close();
  });

  it("commits only offsets the application stored", async () => {
    const { topic, bootstrap } = await freshTopic("commit", 1);
    const producer = new Producer({ config: { "bootstrap.servers": bootstrap } });
    await producer.produceBatch(topic, packedMessages(0, 1_000));
    expect(await producer.flush()).toBe(0);
    await producer.close();
    const config = { "bootstrap.servers": bootstrap, "group.id": uniqueName("g") };

    // Read everything but store only the first 400: a restart resumes at 400.
    const first = new Consumer({ config });
    first.subscribe([topic]);
    const read: { topic: string; partition: number; offset: number }[] = [];
    while (read.length < 1_000) read.push(...(await first.consumeBatch(1_000, 100)));
    first.storeOffsets(read.slice(0, 400));
    await first.close();

    const second = new Consumer({ config });
    second.subscribe([topic]);
    let batch = await second.consumeBatch(1_000, 100);
    while (batch.length === 0) batch = await second.consumeBatch(1_000, 100);
    expect(batch[0]!.offset).toBe(400);
    await second.close();
  });

  it("with reuseBuffers, hands out batches whose bytes are right until the next call", async () => {
    const { topic, bootstrap } = await freshTopic("reuse", 3);
    const producer = new Producer({ config: { "bootstrap.servers": bootstrap } });
    await producer.produceBatch(topic, packedMessages(0, 20_000, 100, 1024));
    expect(await producer.flush()).toBe(0);
    await producer.close();

    const consumer = new Consumer({ config: { "bootstrap.servers": bootstrap, "group.id": uniqueName("g") }, reuseBuffers: true });
    consumer.subscribe([topic]);
    const seen = new Set<number>();
    let previous: Uint8Array | null = null;
    let shared = 0;
    while (seen.size < 20_000) {
      const batch = await consumer.consumeMessageBatch(3_000, 100);
      for (let i = 0; i < batch.length; i++) {
        const n = Number(decoder.decode(batch.value(i)!));
        expect(decoder.decode(batch.key(i)!)).toBe(`key-${n % 100}`);
        seen.add(n);
      }
      if (batch.length > 0 && previous && batch.buffer.buffer === previous.buffer) shared++;
      if (batch.length > 0) previous = batch.buffer;
    }
    expect(seen.size).toBe(20_000);
    expect(shared).toBeGreaterThan(0); // the same memory, batch after batch
    await consumer.close();
  });

  it("carries headers, null keys and empty values through produceWithHeaders", async () => {
    const { topic, bootstrap } = await freshTopic("headers", 1);
    const producer = new Producer({ config: { "bootstrap.servers": bootstrap } });
    await producer.produceWithHeaders(topic, { key: "k1", value: "v1", headers: { reason: "bad magic byte", "source.offset": "42" } });
    await producer.produceWithHeaders(topic, { key: null, value: new Uint8Array(0), headers: {} });
    expect(await producer.flush()).toBe(0);
    expect(producer.delivered).toBe(2);
    await producer.close();

    const consumer = new Consumer({ config: { "bootstrap.servers": bootstrap, "group.id": uniqueName("g") }, headers: true });
    consumer.subscribe([topic]);
    const got = [];
    while (got.length < 2) got.push(...(await consumer.consumeBatch(10, 100)));
    expect(decoder.decode(got[0]!.key!)).toBe("k1");
    expect(decoder.decode(got[0]!.value!)).toBe("v1");
    expect(got[0]!.headers).toEqual({ reason: "bad magic byte", "source.offset": "42" });
    expect(got[1]!.key).toBeNull();
    expect(got[1]!.headers).toEqual({});
    await consumer.close();
  });

  it("lets a member flush in onRevoke before a rebalance moves its partitions, so nothing is read twice", async () => {
    const { topic, bootstrap } = await freshTopic("revoke", 6);
    const producer = new Producer({ config: { "bootstrap.servers": bootstrap } });
    await producer.produceBatch(topic, packedMessages(0, 6_000));
    expect(await producer.flush()).toBe(0);
    await producer.close();

    const config = { "bootstrap.servers": bootstrap, "group.id": uniqueName("g"), "partition.assignment.strategy": "cooperative-sticky", "enable.auto.commit": "false" };
    // A reads everything but stores offsets only when asked to give partitions away.
    let buffered: { topic: string; partition: number; offset: number }[] = [];
    const revoked: number[] = [];
    const a: Consumer = new Consumer({
      config,
      onRevoke: (partitions) => {
        revoked.push(...partitions.map((p) => p.partition));
        a.storeOffsets(buffered);
        buffered = [];
      },
    });
    a.subscribe([topic]);
    let readByA = 0;
    while (readByA < 6_000) {
      const batch = await a.consumeBatch(10_000, 100);
      buffered.push(...batch);
      readByA += batch.length;
    }
    const b = new Consumer({ config });
    b.subscribe([topic]);
    let readByB = 0;
    const deadline = performance.now() + 30_000;
    while ((b.assignment().length === 0 || revoked.length === 0) && performance.now() < deadline) {
      readByA += (await a.consumeBatch(100, 10)).length;
      readByB += (await b.consumeBatch(100, 10)).length;
    }
    expect(revoked.length).toBeGreaterThan(0);
    expect(b.assignment().map((p) => p.partition).sort()).toEqual(revoked.sort());
    // B starts where A's hook committed: nothing is delivered twice.
    for (let i = 0; i < 10; i++) readByB += (await b.consumeBatch(100, 50)).length;
    expect(readByA).toBe(6_000);
    expect(readByB).toBe(0);
    await a.close();
    await b.close();
  });
});
