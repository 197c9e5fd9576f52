import avro from "avsc";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../../paths.ts";
import { LOGICAL_TYPES } from "./timestamp-micros.ts";

/** Where the value schema lives; registered under subject `<topic>-value`. */
export const ECOM_EVENT_SCHEMA_PATH = join(paths.schemas, "ecom_event.avsc");

let cachedText: string | undefined;
let cachedType: avro.Type | undefined;

/** The schema file's text, exactly as it is registered (read once). */
export function ecomEventSchemaText(): string {
  cachedText ??= readFileSync(ECOM_EVENT_SCHEMA_PATH, "utf8");
  return cachedText;
}

/**
 * Builds an avsc type from a schema (object or JSON text) with our logical types registered,
 * so `timestamp-micros` round-trips as a number of microseconds.
 */
export function avroType(schema: avro.Schema | string): avro.Type {
  const parsed = typeof schema === "string" ? (JSON.parse(schema) as avro.Schema) : schema;
  // omitRecordMethods: decoded records are plain data (no clone/toBuffer/… on each of them).
  return avro.Type.forSchema(parsed, { logicalTypes: LOGICAL_TYPES, omitRecordMethods: true });
}

/** The avsc type of schemas/ecom_event.avsc (built once): the correctness reference for the encoder. */
export function ecomEventType(): avro.Type {
  cachedType ??= avroType(ecomEventSchemaText());
  return cachedType;
}
