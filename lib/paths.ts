import { join, resolve } from "node:path";

/** Where everything lives: the repo root and the git-ignored folders that setup and the stack fill. */
export const ROOT = resolve(import.meta.dir, "..");
export const LOCAL = process.env.ECOM_LOCAL_DIR ?? join(ROOT, ".local");

export const paths = {
  root: ROOT,
  local: LOCAL,
  stamps: join(LOCAL, "stamps"),
  build: join(LOCAL, "build"),
  bin: join(LOCAL, "bin"),
  librdkafka: join(LOCAL, "librdkafka"),
  librdkafkaSo: join(LOCAL, "librdkafka", "lib", "librdkafka.so.1"),
  rdkafkaPerformance: join(LOCAL, "bin", "rdkafka_performance"),
  kafkaLibs: join(LOCAL, "kafka", "libs"),
  venv: join(LOCAL, "venv"),
  python: join(LOCAL, "venv", "bin", "python"),
  dbt: join(LOCAL, "venv", "bin", "dbt"),
  bigqueryEmulator: join(LOCAL, "bin", "bigquery-emulator"),
  /** Runtime state of `just up` (data, logs, pid files). */
  state: join(LOCAL, "state"),
  /** The local warehouse: Parquet landing files + the DuckDB file dbt builds. */
  warehouse: process.env.WAREHOUSE_DIR ?? join(LOCAL, "warehouse"),
  data: join(ROOT, "data"),
  reports: join(ROOT, "reports"),
  schemas: join(ROOT, "schemas"),
  dbtProject: join(ROOT, "dbt"),
  stackFiles: join(ROOT, "stack"),
} as const;
