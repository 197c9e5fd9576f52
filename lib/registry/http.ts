/**
 * HTTP plumbing shared by the routes: Confluent's content type on every response, request body
 * parsing with the content types Confluent clients send, and parsing of path segments (versions,
 * ids) and boolean query flags the way Confluent's JAX-RS resources do.
 */
import { badRequest, invalidVersion, RegistryError, unsupportedMediaType } from "./errors.ts";
import type { VersionSpec } from "./registry.ts";

/** Confluent's media type; its clients accept it and plain JSON alike. */
export const CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

const ACCEPTED_BODY_TYPES = new Set([
  CONTENT_TYPE,
  "application/vnd.schemaregistry+json",
  "application/json",
  "application/octet-stream",
]);

const MAX_VERSION = 2 ** 31 - 1;

/** A response body that is already JSON text (the raw `/schema` endpoints). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Serialises `body` (or passes `RawJson` through) with Confluent's content type. */
export function respond(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const text = body instanceof RawJson ? body.text : JSON.stringify(body);
  return new Response(text, { status, headers: { "Content-Type": CONTENT_TYPE, ...headers } });
}

/** The error body and status Confluent clients parse. */
export function respondError(error: RegistryError, headers: Record<string, string> = {}): Response {
  return respond(error.toBody(), error.status, headers);
}

/**
 * Reads a JSON object body. A missing content type is tolerated (curl -d sends a form type, and
 * is refused with 415 like Confluent does); malformed JSON or a non-object is a 400.
 */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type && !ACCEPTED_BODY_TYPES.has(type)) throw unsupportedMediaType(type);
  const text = await request.text();
  if (text.trim() === "") throw badRequest("Request body is missing: send a JSON object");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest("Request body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

/** "latest" (any case) and -1 mean the latest version; 1..2^31-1 a version; anything else is 42202. */
export function parseVersion(segment: string): VersionSpec {
  const trimmed = segment.trim();
  if (trimmed.toLowerCase() === "latest" || trimmed === "-1") return "latest";
  if (/^\d{1,10}$/.test(trimmed)) {
    const version = Number(trimmed);
    if (version >= 1 && version <= MAX_VERSION) return version;
  }
  throw invalidVersion(segment);
}

/** A schema id path segment, or undefined when it is not a positive 32-bit integer (→ 404). */
export function parseId(segment: string): number | undefined {
  if (!/^\d{1,10}$/.test(segment)) return undefined;
  const id = Number(segment);
  return id >= 1 && id <= MAX_VERSION ? id : undefined;
}

/** Query flags as JAX-RS reads booleans: "true" in any case is true, everything else false. */
export function flag(query: URLSearchParams, name: string): boolean {
  return query.get(name)?.toLowerCase() === "true";
}
