import { describe, expect, it } from "bun:test";
import { Admin } from "../../lib/kafka/admin.ts";
import { KafkaError } from "../../lib/kafka/errors.ts";
import { testStack } from "../support/stack.ts";
import { uniqueName } from "./helpers.ts";

describe("Admin", () => {
  it("creates topics idempotently and shows them in the metadata", async () => {
    const { bootstrap } = await testStack();
    const admin = new Admin({ config: { "bootstrap.servers": bootstrap } });
    const name = uniqueName("admin");
    const spec = { name, partitions: 3, replicationFactor: 1, config: { "retention.ms": "3600000" } };
    expect(await admin.createTopics([spec])).toEqual([{ name, status: "created" }]);
    expect(await admin.createTopics([spec])).toEqual([{ name, status: "exists" }]);
    const metadata = admin.metadata({ topic: name });
    expect(metadata.brokers).toHaveLength(1);
    expect(metadata.topics[0]!.name).toBe(name);
    expect(metadata.topics[0]!.partitions.map((p) => p.id).sort()).toEqual([0, 1, 2]);
    await admin.deleteTopics([name]);
    admin.close();
  });

  it("refuses invalid topic specs with the broker's reason", async () => {
    const { bootstrap } = await testStack();
    const admin = new Admin({ config: { "bootstrap.servers": bootstrap } });
    expect(admin.createTopics([{ name: uniqueName("rf"), partitions: 1, replicationFactor: 3 }])).rejects.toThrow(KafkaError);
    admin.close();
  });
});
