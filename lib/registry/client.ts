import type { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import type avro from "avsc";
import { LOGICAL_TYPES } from "../events/avro/timestamp-micros.ts";
import type { RegistrySettings } from "../config/client.ts";

/** The registry could not be reached or answered with an error that is not about the schema. */
export class RegistryUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(`Schema Registry at ${url} failed: ${(cause as Error)?.message ?? cause} — is it running (just up) and is schema.registry.url right?`, { cause });
    this.name = "RegistryUnavailableError";
  }
}

/** A schema id the registry does not know (a poison message's header, or a registry reset). */
export class UnknownSchemaIdError extends Error {
  constructor(readonly schemaId: number) {
    super(`schema id ${schemaId} is not in the registry`);
    this.name = "UnknownSchemaIdError";
  }
}

const status = (error: unknown) => (error as { status?: number })?.status;
// Problem: getRegistryIdBySchema turns a 404 into a bare ConfluentSchemaRegistryError (no status);
// other failures keep their HTTP status. Solution: that exact class name means "not registered".
const notRegistered = (error: unknown) => status(error) === 404 || (error as Error)?.name === "ConfluentSchemaRegistryError";

/**
 * The registry as the pipeline uses it, through @kafkajs/confluent-schema-registry: resolve the
 * value schema's id once per producer run (lookup, else register), and fetch writer schemas by id
 * for the consumer, each id fetched once. Avro types are built with our `timestamp-micros`.
 */
export class SchemaRegistryClient {
  private readonly registry: Promise<SchemaRegistry>;
  private readonly types = new Map<number, Promise<avro.Type>>();

  constructor(private readonly settings: RegistrySettings) {
    // Loaded in the background: the library takes ~75 ms to import, which a consumer otherwise
    // spends before it can even join its group (the first schema is needed only after that).
    this.registry = import("@kafkajs/confluent-schema-registry").then(
      ({ SchemaRegistry }) =>
        new SchemaRegistry(
          { host: settings.url, auth: settings.auth, retry: { retries: 2, initialRetryTimeInSecs: 0.2, maxRetryTimeInSecs: 1 } },
          { AVRO: { logicalTypes: LOGICAL_TYPES } },
        ),
    );
  }

  /**
   * The id of `schemaText` under `subject`: looked up first (re-runs never write), registered
   * when new. Registration skips the library's PUT /config so a key without config rights works.
   * An incompatible schema fails with the registry's 409 message.
   */
  async resolveId(subject: string, schemaText: string): Promise<number> {
    const schema = { type: "AVRO" as SchemaType.AVRO, schema: schemaText };
    const registry = await this.registry;
    try {
      return await registry.getRegistryIdBySchema(subject, schema);
    } catch (error) {
      if (!notRegistered(error)) throw new RegistryUnavailableError(this.settings.url, error);
    }
    try {
      const { id } = await registry.register(schema, { subject, updateConfig: false });
      return id;
    } catch (error) {
      if (status(error) === 409) throw new Error(`schema for ${subject} is incompatible with the registered versions: ${(error as Error).message}`);
      throw new RegistryUnavailableError(this.settings.url, error);
    }
  }

  /** The writer type for `schemaId` (cached; concurrent callers share one request). */
  writerType(schemaId: number): Promise<avro.Type> {
    let type = this.types.get(schemaId);
    if (!type) {
      type = this.registry.then((registry) => registry.getSchema(schemaId)).then(
        (schema) => schema as unknown as avro.Type,
        (error) => {
          this.types.delete(schemaId);
          throw status(error) === 404 ? new UnknownSchemaIdError(schemaId) : new RegistryUnavailableError(this.settings.url, error);
        },
      );
      this.types.set(schemaId, type);
    }
    return type;
  }
}
