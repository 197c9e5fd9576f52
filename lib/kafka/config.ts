import { rd, cstr, errstrBuffer, errstrText, NULL, type Pointer } from "./ffi.ts";

/** Raw librdkafka configuration: property names exactly as in librdkafka's CONFIGURATION.md. */
export type KafkaConfig = Record<string, string>;

/** A property librdkafka refused; the message is librdkafka's own, plus where the key came from. */
export class KafkaConfigError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ""}invalid Kafka config "${key}": ${reason}`);
    this.name = "KafkaConfigError";
  }
}

/** Keys of a Confluent client.properties that belong to the Schema Registry client, not librdkafka. */
const REGISTRY_KEY = /^(schema\.registry\.|basic\.auth\.)/;
/** Java-client keys librdkafka does not know; `sasl.jaas.config` is translated instead. */
const JAVA_ONLY_KEYS = new Set([
  "sasl.jaas.config",
  "key.serializer",
  "value.serializer",
  "key.deserializer",
  "value.deserializer",
]);
const SECRET_KEY = /(password|secret|user\.info|jaas|token|\.key$|key\.pem|sasl\.username)/i;

/** Configuration split by who consumes it. */
export interface SplitConfig {
  kafka: KafkaConfig;
  /** `schema.registry.url`, `basic.auth.user.info`, … kept for the registry client. */
  registry: Record<string, string>;
  /** Keys dropped because only the Java client understands them (reported, never silently). */
  ignored: string[];
}

/**
 * Splits one flat config (a Confluent Cloud client.properties, -X flags) into what goes to
 * librdkafka and what goes to the registry client. The Java login line
 * `sasl.jaas.config=... username="K" password="S";` becomes `sasl.username`/`sasl.password`.
 */
export function splitConfig(flat: Record<string, string>): SplitConfig {
  const kafka: KafkaConfig = {};
  const registry: Record<string, string> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(flat)) {
    if (REGISTRY_KEY.test(key)) registry[key] = value;
    else if (JAVA_ONLY_KEYS.has(key)) ignored.push(key);
    else kafka[key] = value;
  }
  const jaas = flat["sasl.jaas.config"];
  if (jaas) {
    const user = /username\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
    const pass = /password\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
    if (user !== undefined && kafka["sasl.username"] === undefined) kafka["sasl.username"] = user;
    if (pass !== undefined && kafka["sasl.password"] === undefined) kafka["sasl.password"] = pass;
  }
  return { kafka, registry, ignored };
}

/** A copy of a config safe to print: secret values replaced by `********`. */
export function maskSecrets(config: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, SECRET_KEY.test(k) ? "********" : v]));
}

/**
 * Builds an rd_kafka_conf_t from raw properties, each through rd_kafka_conf_set so librdkafka's
 * own validation and error text apply. The caller owns the result (rd_kafka_new takes it over).
 * `sources` maps keys to `file:line` for error messages.
 */
export function buildConf(config: KafkaConfig, eventMask: number, sources: Record<string, string> = {}): Pointer {
  const lib = rd();
  const conf = lib.rd_kafka_conf_new()!;
  const errstr = errstrBuffer();
  // Logs come through our event queue (see log.ts), never printed from librdkafka's threads.
  for (const [key, value] of Object.entries({ "log.queue": "true", ...config })) {
    errstr.fill(0);
    if (lib.rd_kafka_conf_set(conf, cstr(key), cstr(value), errstr, errstr.length) !== 0) {
      lib.rd_kafka_conf_destroy(conf);
      throw new KafkaConfigError(key, errstrText(errstr), sources[key]);
    }
  }
  if (eventMask) lib.rd_kafka_conf_set_events(conf, eventMask);
  return conf;
}

/** Creates the rd_kafka_t handle; on failure frees the conf and throws librdkafka's message. */
export function newHandle(type: number, conf: Pointer): Pointer {
  const errstr = errstrBuffer();
  const rk = rd().rd_kafka_new(type, conf, errstr, errstr.length);
  if (!rk || rk === NULL) {
    rd().rd_kafka_conf_destroy(conf);
    throw new KafkaConfigError("(client)", errstrText(errstr));
  }
  // With log.queue=true, logs wait in a temporary queue until one is set: the main queue.
  rd().rd_kafka_set_log_queue(rk, NULL);
  return rk;
}
