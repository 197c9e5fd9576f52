import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Admin } from "../../lib/kafka/admin.ts";
import type { StackConfig } from "../../lib/stack/config.ts";
import { stackServices } from "../../lib/stack/stack.ts";

const stateDir = mkdtempSync(join(tmpdir(), "stack-restart-"));
const config: StackConfig = {
  host: "127.0.0.1",
  kafkaPort: 29092,
  kafkaControllerPort: 29093,
  kafkaSaslPort: 29094,
  registryPort: 28081,
  bigqueryPort: 29050,
  bigqueryGrpcPort: 29060,
  bigqueryProject: "test",
  stateDir,
  kafkaHeap: "512m",
};
const services = stackServices(config);

afterAll(async () => {
  await services.registry.stop();
  await services.kafka.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe("the local stack (just up / down / status)", () => {
  it("keeps topics and registry subjects across down and up, and up is idempotent", async () => {
    expect(await services.kafka.start()).toBe("started");
    expect(await services.registry.start()).toBe("started");
    expect(await services.kafka.start()).toBe("running");

    const admin = new Admin({ config: { "bootstrap.servers": `127.0.0.1:${config.kafkaPort}` } });
    await admin.createTopics([{ name: "kept", partitions: 2 }]);
    admin.close();
    const registryUrl = `http://127.0.0.1:${config.registryPort}`;
    const register = await fetch(`${registryUrl}/subjects/kept-value/versions`, {
      method: "POST",
      headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
      body: JSON.stringify({ schema: JSON.stringify({ type: "record", name: "R", fields: [{ name: "a", type: "string" }] }) }),
    });
    const { id } = (await register.json()) as { id: number };

    expect(await services.registry.stop()).toBe(true);
    expect(await services.kafka.stop()).toBe(true);
    expect((await services.kafka.status()).healthy).toBe(false);
    expect(await services.kafka.stop()).toBe(false); // nothing left to stop

    expect(await services.kafka.start()).toBe("started");
    expect(await services.registry.start()).toBe("started");
    const after = new Admin({ config: { "bootstrap.servers": `127.0.0.1:${config.kafkaPort}` } });
    expect(after.metadata({ topic: "kept" }).topics[0]!.partitions).toHaveLength(2);
    after.close();
    const versions = await (await fetch(`${registryUrl}/subjects/kept-value/versions/latest`)).json();
    expect((versions as { id: number }).id).toBe(id);
    const status = await services.kafka.status();
    expect(status.healthy).toBe(true);
    expect(status.pid).toBeGreaterThan(0);
  });
});
