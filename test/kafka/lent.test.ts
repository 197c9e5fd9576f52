import { describe, expect, it } from "bun:test";
import { Consumer } from "../../lib/kafka/consumer.ts";
import { slicePacked } from "../../lib/kafka/message.ts";
import { Producer } from "../../lib/kafka/producer.ts";
import { testStack } from "../support/stack.ts";
import { freshTopic, packedMessages, uniqueName } from "./helpers.ts";

const decoder = new TextDecoder();

describe("produceBatch with copy: false (values lent to librdkafka)", () => {
  it("delivers the lent bytes intact and lets go of every buffer once its messages are reported", async () => {
    const { topic, bootstrap } = await freshTopic("lent", 3);
    const producer = new Producer({ config: { "bootstrap.servers": bootstrap } });
    // Three buffers, the last one lent in two calls (two views of one ArrayBuffer, one count),
    // and nothing kept here: only the producer holds them while librdkafka points into them.
    for (const start of [0, 20_000]) await producer.produceBatch(topic, packedMessages(start, 20_000, 100, 1024), { copy: false });
    const last = packedMessages(40_000, 20_000, 100, 1024);
    await producer.produceBatch(topic, slicePacked(last, 0, 5_000), { copy: false });
    await producer.produceBatch(topic, slicePacked(last, 5_000, 15_000), { copy: false });
    expect(producer.lentBytes).toBeGreaterThanOrEqual(3 * 20_000 * 1024);
    Bun.gc(true);
    const litter = Array.from({ length: 64 }, () => new Uint8Array(1 << 20).fill(0xff)); // reuses freed memory, if any
    expect(await producer.flush()).toBe(0);
    expect(litter).toHaveLength(64);
    expect(producer.delivered).toBe(60_000);
    expect(producer.lentBytes).toBe(0);
    await producer.close();

    const consumer = new Consumer({ config: { "bootstrap.servers": bootstrap, "group.id": uniqueName("g") } });
    consumer.subscribe([topic]);
    const seen = new Uint8Array(60_000);
    let count = 0;
    while (count < 60_000) {
      for (const m of await consumer.consumeBatch(10_000, 200)) {
        const n = Number(decoder.decode(m.value!));
        expect(decoder.decode(m.key!)).toBe(`key-${n % 100}`);
        seen[n] = 1;
        count++;
      }
    }
    expect(seen.every((s) => s === 1)).toBe(true);
    await consumer.close();
  });

  it("releases lent buffers whose messages fail", async () => {
    const { bootstrap } = await testStack();
    let failures = 0;
    const producer = new Producer({
      config: { "bootstrap.servers": bootstrap, "topic.metadata.propagation.max.ms": "1000", "message.timeout.ms": "5000" },
      onDeliveryFailure: () => failures++,
    });
    await producer.produceBatch(uniqueName("missing"), packedMessages(0, 100), { copy: false });
    expect(producer.lentBytes).toBe(100 * 100);
    expect(await producer.flush(15_000)).toBe(0);
    expect(failures).toBe(100);
    expect(producer.lentBytes).toBe(0);
    await producer.close();
  });
});
