import { describe, expect, it } from "bun:test";
import { Admin } from "../../lib/kafka/admin.ts";
import { KafkaConfigError } from "../../lib/kafka/config.ts";
import { Consumer } from "../../lib/kafka/consumer.ts";
import { ErrorCode, KafkaError } from "../../lib/kafka/errors.ts";
import { Producer, type DeliveryFailure } from "../../lib/kafka/producer.ts";
import { testStack } from "../support/stack.ts";
import { packedMessages, uniqueName } from "./helpers.ts";

describe("errors surface as typed KafkaErrors, within the configured timeouts", () => {
  it("reports every message to a missing topic as failed (auto-create is off)", async () => {
    const { bootstrap } = await testStack();
    const failures: DeliveryFailure[] = [];
    const producer = new Producer({
      config: { "bootstrap.servers": bootstrap, "topic.metadata.propagation.max.ms": "1000", "message.timeout.ms": "5000" },
      onDeliveryFailure: (f) => failures.push(f),
    });
    const started = performance.now();
    await producer.produceBatch(uniqueName("missing"), packedMessages(0, 100));
    expect(await producer.flush(15_000)).toBe(0);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(producer.delivered).toBe(0);
    expect(failures.map((f) => f.opaque).sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    expect(failures[0]!.error).toBeInstanceOf(KafkaError);
    expect([ErrorCode.UNKNOWN_TOPIC_OR_PART, ErrorCode._UNKNOWN_TOPIC] as number[]).toContain(failures[0]!.error.code);
    await producer.close();
  });

  it("times messages out when no broker is reachable, and reports the transport error", async () => {
    const errors: KafkaError[] = [];
    const failures: DeliveryFailure[] = [];
    const producer = new Producer({
      config: { "bootstrap.servers": "127.0.0.1:1", "message.timeout.ms": "2000", log_level: "0" },
      onDeliveryFailure: (f) => failures.push(f),
      onError: (e) => errors.push(e),
    });
    await producer.produceBatch("anything", packedMessages(0, 10));
    expect(await producer.flush(10_000)).toBe(0);
    expect(failures).toHaveLength(10);
    expect(failures[0]!.error.code).toBe(ErrorCode._MSG_TIMED_OUT);
    expect(errors.some((e) => e.code === ErrorCode._TRANSPORT || e.code === ErrorCode._ALL_BROKERS_DOWN)).toBe(true);
    await producer.close();
  });

  it("fails a metadata request to an unreachable broker within its timeout", () => {
    const admin = new Admin({ config: { "bootstrap.servers": "127.0.0.1:1", log_level: "0" } });
    const started = performance.now();
    expect(() => admin.metadata({ timeoutMs: 1_000 })).toThrow(KafkaError);
    expect(performance.now() - started).toBeLessThan(3_000);
    admin.close();
  });

  it("rejects unknown and invalid properties with librdkafka's own message", () => {
    expect(() => new Producer({ config: { "no.such.property": "1" } })).toThrow(/No such configuration property/);
    expect(() => new Producer({ config: { acks: "most" }, sources: { acks: "client.properties:3" } })).toThrow(
      /client\.properties:3: invalid Kafka config "acks"/,
    );
    expect(() => new Consumer({ config: { "bootstrap.servers": "x" } })).toThrow(/group\.id/);
    try {
      new Producer({ config: { "compression.type": "brotli" } });
    } catch (error) {
      expect(error).toBeInstanceOf(KafkaConfigError);
      expect((error as KafkaConfigError).key).toBe("compression.type");
    }
  });

  it("refuses calls on a closed client", async () => {
    const { bootstrap } = await testStack();
    const producer = new Producer({ config: { "bootstrap.servers": bootstrap } });
    await producer.close();
    expect(producer.produceBatch("t", packedMessages(0, 1))).rejects.toThrow(/closed/);
    expect(await producer.close()).toBe(0);
  });
});
