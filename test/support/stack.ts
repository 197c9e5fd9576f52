import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StackConfig } from "../../lib/stack/config.ts";
import { stackServices } from "../../lib/stack/stack.ts";
import type { Service } from "../../lib/stack/service.ts";

/** Where the test stack answers. */
export interface TestStack {
  bootstrap: string;
  /** SASL_PLAINTEXT listener: user "local", password "local-secret". */
  saslBootstrap: string;
  registryUrl: string;
  config: StackConfig;
}

let starting: Promise<TestStack> | null = null;
let started: Service[] = [];
let stateDir: string | null = null;

/**
 * A private Kafka + Schema Registry for this test run: a fresh KRaft node and registry in a
 * temp folder, on their own ports (TEST_KAFKA_PORT, default 19092; registry 18081), so tests never
 * touch the data of `just up`. Started once per `bun test` process, stopped by the preload's
 * afterAll. If a service cannot start the calling test fails with the reason — never skips.
 */
export function testStack(): Promise<TestStack> {
  starting ??= (async () => {
    stateDir = mkdtempSync(join(tmpdir(), "ecom-test-stack-"));
    const kafkaPort = Number(process.env.TEST_KAFKA_PORT ?? 19092);
    const config: StackConfig = {
      host: "127.0.0.1",
      kafkaPort,
      kafkaControllerPort: kafkaPort + 1,
      kafkaSaslPort: kafkaPort + 2,
      registryPort: Number(process.env.TEST_REGISTRY_PORT ?? 18081),
      bigqueryPort: 0,
      bigqueryGrpcPort: 0,
      bigqueryProject: "test",
      stateDir,
      kafkaHeap: "512m",
    };
    const services = stackServices(config);
    for (const service of [services.kafka, services.registry]) {
      await service.start();
      started.push(service);
    }
    return { bootstrap: `${config.host}:${config.kafkaPort}`, saslBootstrap: `${config.host}:${config.kafkaSaslPort}`, registryUrl: `http://${config.host}:${config.registryPort}`, config };
  })();
  return starting;
}

/** Stops what testStack started and removes its folder. */
export async function stopTestStack(): Promise<void> {
  for (const service of started.reverse()) await service.stop();
  started = [];
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  stateDir = null;
  starting = null;
}
