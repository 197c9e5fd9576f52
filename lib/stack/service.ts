/** Health of one local service, as `just status` prints it. */
export interface ServiceStatus {
  name: string;
  address: string;
  pid: number | null;
  healthy: boolean;
  detail?: string;
}

/**
 * One process of the local stack (Kafka, the Schema Registry, the BigQuery emulator).
 * `start` is idempotent: a healthy running service is left alone. `start` resolves only once
 * the service answers a real request, and throws with the log's tail when it does not.
 */
export interface Service {
  readonly name: string;
  readonly address: string;
  /** False when its binaries are not installed (e.g. the emulator before `just setup`). */
  installed(): boolean;
  start(): Promise<"started" | "running">;
  stop(): Promise<boolean>;
  status(): Promise<ServiceStatus>;
}

/** Thrown when a service does not become healthy; carries its log's tail. */
export class ServiceStartError extends Error {
  constructor(
    readonly service: string,
    reason: string,
    readonly logFile?: string,
  ) {
    super(`${service} did not start: ${reason}${logFile ? `\n  log: ${logFile}` : ""}`);
    this.name = "ServiceStartError";
  }
}
