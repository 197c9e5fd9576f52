import { describe, expect, it } from "bun:test";
import { Consumer } from "../../lib/kafka/consumer.ts";
import { Producer } from "../../lib/kafka/producer.ts";
import { freshTopic, packedMessages, uniqueName } from "./helpers.ts";

const rssMB = () => {
  Bun.gc(true);
  return process.memoryUsage.rss() / 1e6;
};

describe("native memory", () => {
  it("keeps RSS flat across 10,000 produce and consume batches", async () => {
    const { topic, bootstrap } = await freshTopic("rss", 3);
    const producer = new Producer({ config: { "bootstrap.servers": bootstrap, "linger.ms": "1" } });
    const consumer = new Consumer({ config: { "bootstrap.servers": bootstrap, "group.id": uniqueName("g") } });
    consumer.subscribe([topic]);
    const batch = packedMessages(0, 50, 20, 200);
    const samples: number[] = [];
    let consumed = 0;
    for (let i = 1; i <= 10_000; i++) {
      await producer.produceBatch(topic, batch);
      producer.poll();
      // Keep the backlog bounded so buffered messages don't pass for a leak.
      do {
        const messages = await consumer.consumeBatch(1_000, i * 50 - consumed > 5_000 ? 5 : 0);
        consumer.storeOffsets(messages);
        consumed += messages.length;
      } while (i * 50 - consumed > 5_000);
      if (i % 1_000 === 0) samples.push(rssMB());
    }
    expect(await producer.flush()).toBe(0);
    while (consumed < 500_000) {
      const messages = await consumer.consumeBatch(10_000, 100);
      consumer.storeOffsets(messages);
      consumed += messages.length;
    }
    samples.push(rssMB());
    // The first samples include warm-up (JIT, librdkafka's buffers); after that growth must stay small.
    const growth = samples.at(-1)! - samples[1]!;
    console.error(`rss samples MB: ${samples.map((s) => s.toFixed(0)).join(" ")}`);
    expect(growth).toBeLessThan(40);
    expect(consumed).toBe(500_000);
    await producer.close();
    await consumer.close();
  });
});
