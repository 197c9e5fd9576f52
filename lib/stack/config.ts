import { join } from "node:path";
import { paths } from "../paths.ts";

/** Ports and folders of one local stack; `just up` uses the defaults, tests their own. */
export interface StackConfig {
  host: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  /** SASL_PLAINTEXT listener (user "local", password "local-secret") for trying cloud-style configs. */
  kafkaSaslPort: number;
  registryPort: number;
  bigqueryPort: number;
  bigqueryGrpcPort: number;
  bigqueryProject: string;
  /** Data, logs and pid files of every service. */
  stateDir: string;
  /** JVM heap for the broker; small enough to sit beside the pipeline on 2 cores / 24 GB. */
  kafkaHeap: string;
}

const envInt = (name: string, fallback: number) => {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name}=${value} is not a port number`);
  return n;
};

/** The stack configuration from the environment (KAFKA_PORT, REGISTRY_PORT, …) with defaults. */
export function stackConfigFromEnv(): StackConfig {
  return {
    host: "127.0.0.1",
    kafkaPort: envInt("KAFKA_PORT", 9092),
    kafkaControllerPort: envInt("KAFKA_CONTROLLER_PORT", 9093),
    kafkaSaslPort: envInt("KAFKA_SASL_PORT", 9094),
    registryPort: envInt("REGISTRY_PORT", 8081),
    bigqueryPort: envInt("BIGQUERY_EMULATOR_PORT", 9050),
    bigqueryGrpcPort: envInt("BIGQUERY_EMULATOR_GRPC_PORT", 9060),
    bigqueryProject: process.env.GCP_PROJECT || "local",
    stateDir: process.env.ECOM_STATE_DIR || paths.state,
    kafkaHeap: process.env.KAFKA_HEAP || "768m",
  };
}

export const serviceDir = (config: StackConfig, name: string) => join(config.stateDir, name);
