import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { librdkafkaInfo } from "../../kafka/ffi.ts";
import { paths } from "../../paths.ts";

const packageVersion = (name: string) => {
  try {
    return (JSON.parse(readFileSync(join(paths.root, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
};

const kafkaVersion = () => {
  if (!existsSync(paths.kafkaLibs)) return "not installed (just setup)";
  const jar = readdirSync(paths.kafkaLibs).find((f) => /^kafka_2\.13-[\d.]+\.jar$/.test(f));
  return jar ? jar.slice("kafka_2.13-".length, -".jar".length) : "unknown";
};

/** The venv's dbt-core, dbt-duckdb and duckdb versions, read from package metadata (fast, exact). */
const pythonVersions = () => {
  const script = "import importlib.metadata as m; print(' '.join(m.version(p) for p in ('dbt-core', 'dbt-duckdb', 'duckdb')))";
  try {
    const out = Bun.spawnSync([paths.python, "-c", script], { stdout: "pipe", stderr: "pipe" });
    const [core, adapter, duckdb] = out.stdout.toString().trim().split(" ");
    return out.exitCode === 0 ? { core, adapter, duckdb } : null;
  } catch {
    return null;
  }
};

/** The checkout's commit, with "+ local changes" when the work tree differs (read-only git calls). */
const gitRevision = () => {
  try {
    const head = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { cwd: paths.root, stdout: "pipe", stderr: "pipe" }).stdout.toString().trim();
    const dirty = Bun.spawnSync(["git", "status", "--porcelain", "--untracked-files=no"], { cwd: paths.root, stdout: "pipe", stderr: "pipe" }).stdout.toString().trim();
    return head ? `${head}${dirty ? " + local changes" : ""}` : "unknown";
  } catch {
    return "unknown";
  }
};

/** Versions of everything the pipeline benchmark ran, for the report. */
export function pipelineVersions(): Record<string, string> {
  const python = pythonVersions();
  let rdkafka: string;
  try {
    rdkafka = librdkafkaInfo().version;
  } catch (error) {
    rdkafka = `unavailable (${(error as Error).message})`;
  }
  return {
    "this repository": gitRevision(),
    Bun: Bun.version,
    "librdkafka (lib/kafka via bun:ffi)": rdkafka,
    "Kafka broker": `Apache Kafka ${kafkaVersion()} (local single-node KRaft)`,
    "@duckdb/node-api (consumer's Parquet writer, query layer)": packageVersion("@duckdb/node-api"),
    avsc: packageVersion("avsc"),
    dbt: python ? `dbt-core ${python.core}, dbt-duckdb ${python.adapter}, duckdb ${python.duckdb}` : "unavailable (just setup)",
  };
}
