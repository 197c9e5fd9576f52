import { join } from "node:path";
import { paths } from "../paths.ts";
import type { StackConfig } from "./config.ts";
import { HttpService } from "./http-service.ts";
import { KafkaService } from "./kafka.ts";
import type { Service } from "./service.ts";

export const SERVICE_NAMES = ["kafka", "registry", "bigquery"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const basicAuthHeader = (userPass: string | undefined): Record<string, string> | undefined =>
  userPass ? { authorization: `Basic ${Buffer.from(userPass).toString("base64")}` } : undefined;

/** Every service of the local stack, built from one configuration. */
export function stackServices(config: StackConfig): Record<ServiceName, Service> {
  const basicAuth = process.env.REGISTRY_BASIC_AUTH;
  return {
    kafka: new KafkaService(config),
    registry: new HttpService(config, {
      name: "registry",
      port: config.registryPort,
      program: join(paths.root, "scripts", "registry.ts"),
      command: (dir) => [
        process.execPath, join(paths.root, "scripts", "registry.ts"),
        "--host", config.host, "--port", String(config.registryPort), "--db", join(dir, "registry.sqlite"),
      ],
      healthPath: "/subjects",
      healthHeaders: basicAuthHeader(basicAuth),
      installHint: "the checkout is incomplete",
    }),
    bigquery: new HttpService(config, {
      name: "bigquery",
      port: config.bigqueryPort,
      program: paths.bigqueryEmulator,
      // The emulator runs behind lib/bigquery/emulator-compat.ts (which starts it on a private
      // port and stops with it), so that dbt-bigquery can build on it; see that file for why.
      command: (dir) => [
        process.execPath, join(paths.root, "lib", "bigquery", "emulator-compat-main.ts"),
        `--host=${config.host}`, `--port=${config.bigqueryPort}`, "--",
        paths.bigqueryEmulator, `--project=${config.bigqueryProject}`, `--grpc-port=${config.bigqueryGrpcPort}`,
        `--database=${join(dir, "emulator.db")}`, "--log-level=warn",
      ],
      healthPath: `/bigquery/v2/projects/${config.bigqueryProject}/datasets`,
      installHint: "run `just setup` (builds goccy/bigquery-emulator)",
      startTimeoutMs: 60_000,
    }),
  };
}
