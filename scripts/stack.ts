#!/usr/bin/env bun
/**
 * `just up` / `just down` / `just status`: the local stack — Kafka (KRaft), the Schema Registry
 * and, on request, the BigQuery emulator — as background processes with pid files.
 */
import { parseArgs } from "node:util";
import { stackConfigFromEnv } from "../lib/stack/config.ts";
import { ServiceStartError } from "../lib/stack/service.ts";
import { SERVICE_NAMES, stackServices, type ServiceName } from "../lib/stack/stack.ts";

const HELP = `Usage: bun scripts/stack.ts <up|down|status> [kafka|registry|bigquery|all ...]

  up       start services (default: kafka registry) and wait until each answers a real request;
           services already running and healthy are left alone
  down     stop the services this stack started (default: all), found through their pid files
  status   address, pid and health of every service

Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_SASL_PORT (9094: SASL/PLAIN,
  user "local", password "local-secret"), REGISTRY_PORT (8081), BIGQUERY_EMULATOR_PORT (9050),
  BIGQUERY_EMULATOR_GRPC_PORT (9060), KAFKA_HEAP (768m),
  ECOM_STATE_DIR (.local/state: data, logs, pid files), REGISTRY_BASIC_AUTH (user:password).
Exit codes: 0 ok, 1 a service failed to start (its log tail is printed), 2 usage error.`;

const { values, positionals } = parseArgs({ allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
const [command, ...names] = positionals;
if (values.help || !command) {
  console.log(HELP);
  process.exit(values.help ? 0 : 2);
}

function select(requested: string[], fallback: ServiceName[]): ServiceName[] {
  if (requested.length === 0) return fallback;
  if (requested.includes("all")) return [...SERVICE_NAMES];
  for (const name of requested) {
    if (!SERVICE_NAMES.includes(name as ServiceName)) {
      console.error(`unknown service "${name}" (expected ${SERVICE_NAMES.join(", ")} or all)`);
      process.exit(2);
    }
  }
  return requested as ServiceName[];
}

const services = stackServices(stackConfigFromEnv());

if (command === "up") {
  for (const name of select(names, ["kafka", "registry"])) {
    const service = services[name];
    const started = performance.now();
    try {
      const result = await service.start();
      const took = ((performance.now() - started) / 1000).toFixed(1);
      console.error(`  ✓ ${name.padEnd(9)} ${service.address.padEnd(24)} ${result === "running" ? "already running" : `started in ${took} s`}`);
    } catch (error) {
      console.error(`  ✗ ${name.padEnd(9)} ${(error as Error).message}`);
      process.exit(error instanceof ServiceStartError ? 1 : 2);
    }
  }
} else if (command === "down") {
  for (const name of select(names, [...SERVICE_NAMES]).reverse()) {
    const stopped = await services[name].stop();
    console.error(`  ${stopped ? "■" : "·"} ${name.padEnd(9)} ${stopped ? "stopped" : "was not running"}`);
  }
} else if (command === "status") {
  console.log(`${"SERVICE".padEnd(10)}${"ADDRESS".padEnd(26)}${"PID".padEnd(9)}HEALTH`);
  let allHealthy = true;
  for (const name of select(names, [...SERVICE_NAMES])) {
    const s = await services[name].status();
    allHealthy &&= s.healthy || name === "bigquery";
    console.log(`${s.name.padEnd(10)}${s.address.padEnd(26)}${String(s.pid ?? "-").padEnd(9)}${s.healthy ? "healthy" : "down"} (${s.detail})`);
  }
  process.exit(allHealthy ? 0 : 1);
} else {
  console.error(`unknown command "${command}"\n\n${HELP}`);
  process.exit(2);
}
