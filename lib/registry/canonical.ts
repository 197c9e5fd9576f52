/**
 * Turns a register/lookup request into a validated Avro schema and its canonical text.
 *
 * Confluent decides "is this the same schema?" on Avro's own re-serialisation of the parsed
 * schema, not on the text clients send: whitespace, attribute order, `{"type":"string"}` versus
 * `"string"` and `"name":"a.b.R"` versus `"name":"R","namespace":"a.b"` must not create new
 * versions or ids. We rebuild the same kind of form from the parsed JSON (fixed attribute order,
 * collapsed primitives, namespaces split out and written only where they change), keep every
 * attribute Avro keeps (docs, defaults, logical types, custom properties), and let avsc decide
 * whether the schema is valid (names, defaults, duplicate symbols, unknown types).
 */
import avro from "avsc";
import type { Type } from "avsc";
import { invalidSchema } from "./errors.ts";

/** The only schema type this registry stores; JSON and PROTOBUF are refused with 42201. */
export const SCHEMA_TYPE = "AVRO";

/** A schema accepted by the registry. */
export interface CanonicalSchema {
  /** Compact canonical JSON: what is stored, compared and returned as `schema`. */
  text: string;
  /** sha256 of type + canonical text: the key that makes ids global across subjects. */
  fingerprint: string;
  /** avsc type compiled from the canonical text, for compatibility checks. */
  type: Type;
}

/** The fields of a Confluent register / lookup / compatibility request body this registry reads. */
export interface SchemaRequest {
  schema?: unknown;
  schemaType?: unknown;
  references?: unknown;
}

const PRIMITIVES = new Set(["null", "boolean", "int", "long", "float", "double", "bytes", "string"]);
const NAMED = new Set(["record", "error", "enum", "fixed"]);
// Avro's Schema.toString writes attributes in this order; anything else follows, sorted.
const TYPE_ORDER = ["type", "name", "namespace", "doc", "fields", "symbols", "items", "values", "size", "default", "aliases"];
const FIELD_ORDER = ["name", "type", "doc", "default", "order", "aliases"];

/**
 * Validates a request body's `schemaType`, `references` and `schema`, and returns the canonical
 * schema. Throws a 42201 `RegistryError` naming what is wrong (JSON syntax, Avro rule, type).
 */
export function canonicalize(request: SchemaRequest): CanonicalSchema {
  const { schema, schemaType, references } = request;
  if (schemaType !== undefined && schemaType !== null) {
    if (typeof schemaType !== "string" || schemaType.toUpperCase() !== SCHEMA_TYPE) {
      throw invalidSchema(
        `schemaType ${JSON.stringify(schemaType)} is not supported: this registry stores AVRO schemas only`,
      );
    }
  }
  if (references !== undefined && references !== null && !(Array.isArray(references) && references.length === 0)) {
    throw invalidSchema("schema references are not supported by this registry; send \"references\": [] or omit it");
  }
  if (typeof schema !== "string" || schema.trim() === "") {
    throw invalidSchema(`"schema" must be a non-empty string holding the Avro schema as JSON text`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(schema);
  } catch (error) {
    throw invalidSchema(`the schema is not valid JSON (${(error as Error).message})`, error);
  }
  return fromJson(parsed);
}

/** Canonicalises and compiles an already parsed Avro schema (also used for stored schemas). */
export function fromJson(parsed: unknown): CanonicalSchema {
  let text: string;
  let type: Type;
  try {
    const canonical = canonicalType(parsed, "");
    text = JSON.stringify(canonical);
    type = compileStored(text);
  } catch (error) {
    // RangeError covers schemas nested deeper than the stack; avsc throws plain Errors.
    throw invalidSchema((error as Error).message, error);
  }
  return { text, type, fingerprint: fingerprintOf(text) };
}

/** Compiles a schema text that the registry stored itself (already canonical and valid). */
export function compileStored(text: string): Type {
  return avro.Type.forSchema(JSON.parse(text) as avro.Schema);
}

function fingerprintOf(text: string): string {
  return new Bun.CryptoHasher("sha256").update(`${SCHEMA_TYPE}\n${text}`).digest("hex");
}

function canonicalType(node: unknown, namespace: string): unknown {
  if (Array.isArray(node)) return node.map((branch) => canonicalType(branch, namespace));
  if (node === null || typeof node !== "object") return node;
  const source = node as Record<string, unknown>;
  const keys = Object.keys(source);
  if (keys.length === 1 && keys[0] === "type") {
    // {"type": "string"} is "string"; {"type": {...}} is the inner schema.
    return typeof source.type === "string" ? source.type : canonicalType(source.type, namespace);
  }
  const out = bare();
  let inner = namespace;
  if (typeof source.type === "string" && NAMED.has(source.type) && typeof source.name === "string") {
    const full = fullName(source.name, source.namespace, namespace);
    const dot = full.lastIndexOf(".");
    inner = dot < 0 ? "" : full.slice(0, dot);
    out.name = full.slice(dot + 1);
    if (inner !== namespace) out.namespace = inner;
  } else {
    if ("name" in source) out.name = sortDeep(source.name);
    if ("namespace" in source) out.namespace = sortDeep(source.namespace);
  }
  for (const key of keys) {
    if (key === "name" || key === "namespace") continue;
    const value = source[key];
    if (key === "type") out.type = typeof value === "string" ? value : canonicalType(value, inner);
    else if (key === "fields" && Array.isArray(value)) out.fields = value.map((field) => canonicalField(field, inner));
    else if (key === "items" || key === "values") out[key] = canonicalType(value, inner);
    else out[key] = sortDeep(value);
  }
  if (typeof out.type === "string" && PRIMITIVES.has(out.type) && Object.keys(out).length === 1) return out.type;
  return ordered(out, TYPE_ORDER);
}

function canonicalField(field: unknown, namespace: string): unknown {
  if (field === null || typeof field !== "object" || Array.isArray(field)) return field;
  const out = bare();
  for (const [key, value] of Object.entries(field as Record<string, unknown>)) {
    if (key === "type") out.type = canonicalType(value, namespace);
    else if (key === "order" && value === "ascending") continue; // Avro's default, never written
    else out[key] = sortDeep(value);
  }
  return ordered(out, FIELD_ORDER);
}

function fullName(name: string, ownNamespace: unknown, enclosing: string): string {
  if (name.includes(".")) return name;
  const space = typeof ownNamespace === "string" ? ownNamespace : enclosing;
  return space ? `${space}.${name}` : name;
}

function ordered(object: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const out = bare();
  for (const key of order) if (key in object) out[key] = object[key];
  for (const key of Object.keys(object).sort()) if (!(key in out)) out[key] = object[key];
  return out;
}

// Defaults and custom properties are plain JSON: only their key order needs fixing.
function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  const out = bare();
  for (const key of Object.keys(object).sort()) out[key] = sortDeep(object[key]);
  return out;
}

// A JSON key "__proto__" must stay a key: on a plain {} assigning it would swap the prototype.
function bare(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}
