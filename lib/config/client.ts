import { readPropertiesFile } from "../kafka/properties.ts";
import { maskSecrets, splitConfig, type KafkaConfig } from "../kafka/config.ts";

/** Where to find the Schema Registry, and how to authenticate (Confluent's `basic.auth.user.info`). */
export interface RegistrySettings {
  url: string;
  auth?: { username: string; password: string };
}

/** Everything a producer or consumer needs to reach Kafka and the registry. */
export interface ClientSettings {
  kafka: KafkaConfig;
  /** `file:line` (or `-X`, `env KAFKA_BOOTSTRAP_SERVERS`) per Kafka key, for error messages. */
  sources: Record<string, string>;
  registry: RegistrySettings;
  /** Java-only keys found in the file and left out (reported to the user). */
  ignored: string[];
}

export interface ClientSettingsInput {
  /** `-F` / KAFKA_CONFIG: a Confluent-style client.properties. */
  configFile?: string;
  /** `-b brokers`. */
  bootstrap?: string;
  /** `-X key=value`, repeatable. */
  overrides?: string[];
  env?: Record<string, string | undefined>;
}

/** A config value that is not `key=value`, or an unusable registry setting. */
export class ClientConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClientConfigError";
  }
}

/**
 * Resolves client settings like kcat does: `-b`/`-X` flags win over the environment
 * (KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, SCHEMA_REGISTRY_BASIC_AUTH), which wins over the
 * properties file (`-F` or KAFKA_CONFIG), which wins over the local defaults (127.0.0.1:KAFKA_PORT,
 * http://127.0.0.1:REGISTRY_PORT). Registry keys in the file (`schema.registry.url`,
 * `basic.auth.user.info`) go to the registry client, never to librdkafka.
 */
export function resolveClientSettings(input: ClientSettingsInput = {}): ClientSettings {
  const env = input.env ?? process.env;
  const flat: Record<string, string> = {};
  const sources: Record<string, string> = {};
  const set = (key: string, value: string, source: string) => {
    flat[key] = value;
    sources[key] = source;
  };

  set("bootstrap.servers", `127.0.0.1:${env.KAFKA_PORT || 9092}`, "default");
  set("schema.registry.url", `http://127.0.0.1:${env.REGISTRY_PORT || 8081}`, "default");
  const file = input.configFile ?? (env.KAFKA_CONFIG || undefined);
  if (file) for (const [key, { value, source }] of readPropertiesFile(file)) set(key, value, source);
  if (env.KAFKA_BOOTSTRAP_SERVERS) set("bootstrap.servers", env.KAFKA_BOOTSTRAP_SERVERS, "env KAFKA_BOOTSTRAP_SERVERS");
  if (env.SCHEMA_REGISTRY_URL) set("schema.registry.url", env.SCHEMA_REGISTRY_URL, "env SCHEMA_REGISTRY_URL");
  if (env.SCHEMA_REGISTRY_BASIC_AUTH) set("basic.auth.user.info", env.SCHEMA_REGISTRY_BASIC_AUTH, "env SCHEMA_REGISTRY_BASIC_AUTH");
  if (input.bootstrap) set("bootstrap.servers", input.bootstrap, "-b");
  for (const override of input.overrides ?? []) {
    const at = override.indexOf("=");
    if (at <= 0) throw new ClientConfigError(`-X ${override}: expected key=value`);
    set(override.slice(0, at).trim(), override.slice(at + 1).trim(), "-X");
  }

  const { kafka, registry, ignored } = splitConfig(flat);
  const url = registry["schema.registry.url"]!.split(",")[0]!.trim().replace(/\/+$/, "");
  if (!/^https?:\/\//.test(url)) {
    throw new ClientConfigError(`${sources["schema.registry.url"]}: schema.registry.url "${url}" must start with http:// or https://`);
  }
  const userInfo = registry["basic.auth.user.info"] ?? registry["schema.registry.basic.auth.user.info"];
  let auth: RegistrySettings["auth"];
  if (userInfo) {
    const at = userInfo.indexOf(":");
    if (at < 0) throw new ClientConfigError("basic.auth.user.info must be <key>:<secret>");
    auth = { username: userInfo.slice(0, at), password: userInfo.slice(at + 1) };
  }
  return { kafka, sources, registry: { url, auth }, ignored };
}

/** A printable summary with secrets masked (for `--verbose` and error reports). */
export function describeSettings(settings: ClientSettings): string {
  const kafka = maskSecrets(settings.kafka);
  const lines = Object.entries(kafka).map(([k, v]) => `  ${k}=${v}  (${settings.sources[k] ?? "?"})`);
  lines.push(`  schema.registry.url=${settings.registry.url}${settings.registry.auth ? " (basic auth: ********)" : ""}`);
  return lines.join("\n");
}
