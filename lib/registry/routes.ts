/**
 * Confluent's REST endpoints, each mapped to the `SchemaRegistry` call behind it. Response
 * shapes follow Confluent's (field names, `{"id": …}`-style objects, bare arrays), so clients
 * written against Confluent parse them unchanged.
 */
import { parseCompatibilityLevel } from "./compatibility.ts";
import type { SchemaRequest } from "./canonical.ts";
import {
  invalidMode,
  RegistryError,
  routeNotFound,
  schemaNotFound,
  subjectCompatibilityNotConfigured,
  subjectModeNotConfigured,
  subjectNotFound,
} from "./errors.ts";
import { flag, parseId, parseVersion, RawJson, readJsonObject } from "./http.ts";
import { route, type Route, type RouteContext } from "./router.ts";

const SCHEMA_TYPES = ["AVRO"];
const READWRITE = { mode: "READWRITE" };

/** Every endpoint the registry serves. */
export const routes: Route[] = [
  route("GET /", () => ({})),
  route("GET /contexts", () => ["."]),
  route("GET /schemas/types", () => SCHEMA_TYPES),

  // Schemas by global id / guid.
  route("GET /schemas", ({ registry, query }) =>
    registry.liveSchemas(query.get("subjectPrefix") ?? "", flag(query, "latestOnly")),
  ),
  route("GET /schemas/ids/:id", ({ registry, params, query }) => {
    const id = idParam(params.id!);
    const found = registry.schemaById(id);
    return flag(query, "fetchMaxId") ? { ...found, maxId: registry.maxSchemaId() } : found;
  }),
  route("GET /schemas/ids/:id/schema", ({ registry, params }) => new RawJson(registry.schemaById(idParam(params.id!)).schema)),
  route("GET /schemas/ids/:id/versions", ({ registry, params, query }) =>
    registry.usesOfSchema(idParam(params.id!), flag(query, "deleted")),
  ),
  route("GET /schemas/ids/:id/subjects", ({ registry, params, query }) => [
    ...new Set(registry.usesOfSchema(idParam(params.id!), flag(query, "deleted")).map((use) => use.subject)),
  ]),
  route("GET /schemas/guids/:guid", ({ registry, params }) => {
    const { schema, guid } = registry.schemaByGuid(params.guid!);
    return { schema, guid };
  }),
  route("GET /schemas/guids/:guid/ids", ({ registry, params }) => {
    const { id, guid } = registry.schemaByGuid(params.guid!);
    return { id, guid };
  }),

  // Subjects and their versions.
  route("GET /subjects", ({ registry, query }) => registry.subjects(flag(query, "deleted"), query.get("subjectPrefix") ?? "")),
  route("POST /subjects/:subject", async ({ registry, params, query, request }) =>
    registry.lookup(params.subject!, await schemaBody(request), flag(query, "deleted")),
  ),
  route("DELETE /subjects/:subject", ({ registry, params, query }) =>
    registry.deleteSubject(params.subject!, flag(query, "permanent")),
  ),
  route("GET /subjects/:subject/versions", ({ registry, params, query }) =>
    registry.versions(params.subject!, flag(query, "deleted")),
  ),
  route("POST /subjects/:subject/versions", async ({ registry, params, request }) => {
    const registered = registry.register(params.subject!, await schemaBody(request));
    return { id: registered.id, version: registered.version, guid: registered.guid, schema: registered.schema };
  }),
  route("GET /subjects/:subject/versions/:version", ({ registry, params, query }) =>
    registry.version(params.subject!, parseVersion(params.version!), flag(query, "deleted")),
  ),
  route("GET /subjects/:subject/versions/:version/schema", ({ registry, params, query }) =>
    new RawJson(registry.version(params.subject!, parseVersion(params.version!), flag(query, "deleted")).schema),
  ),
  route("GET /subjects/:subject/versions/:version/referencedby", ({ registry, params }) => {
    // References are not supported, so nothing can refer to a version; the version must exist.
    registry.version(params.subject!, parseVersion(params.version!), true);
    return [];
  }),
  route("DELETE /subjects/:subject/versions/:version", ({ registry, params, query }) =>
    registry.deleteVersion(params.subject!, parseVersion(params.version!), flag(query, "permanent")),
  ),

  // Compatibility tests.
  route("POST /compatibility/subjects/:subject/versions/:version", (context) =>
    compatibility(context, parseVersion(context.params.version!)),
  ),
  route("POST /compatibility/subjects/:subject/versions", (context) => compatibility(context, "all")),

  // Compatibility configuration.
  route("GET /config", ({ registry }) => ({ compatibilityLevel: registry.compatibilityOf(null) })),
  route("PUT /config", async ({ registry, request }) => {
    const level = parseCompatibilityLevel(levelIn(await readJsonObject(request)));
    registry.setCompatibility(null, level);
    return { compatibility: level };
  }),
  route("DELETE /config", ({ registry }) => {
    const previous = registry.compatibilityOf(null);
    registry.deleteCompatibility(null);
    return { compatibilityLevel: previous };
  }),
  route("GET /config/:subject", ({ registry, params, query }) => {
    const own = registry.ownCompatibility(params.subject!);
    if (own) return { compatibilityLevel: own };
    if (flag(query, "defaultToGlobal")) return { compatibilityLevel: registry.compatibilityOf(null) };
    throw subjectCompatibilityNotConfigured(params.subject!);
  }),
  route("PUT /config/:subject", async ({ registry, params, request }) => {
    const level = parseCompatibilityLevel(levelIn(await readJsonObject(request)));
    registry.setCompatibility(params.subject!, level);
    return { compatibility: level };
  }),
  route("DELETE /config/:subject", ({ registry, params }) => {
    const own = registry.ownCompatibility(params.subject!);
    // Confluent answers 40401 here (not 40408) when the subject has no level of its own.
    if (!own) throw subjectNotFound(params.subject!);
    registry.deleteCompatibility(params.subject!);
    return { compatibilityLevel: own };
  }),

  // Modes: this registry is always READWRITE (no IMPORT / READONLY).
  route("GET /mode", () => READWRITE),
  route("PUT /mode", async ({ request }) => modeUpdate(await readJsonObject(request))),
  route("GET /mode/:subject", ({ params, query }) => {
    if (flag(query, "defaultToGlobal")) return READWRITE;
    throw subjectModeNotConfigured(params.subject!);
  }),
  route("PUT /mode/:subject", async ({ request }) => modeUpdate(await readJsonObject(request))),
  route("DELETE /mode/:subject", () => READWRITE),
];

async function schemaBody(request: Request): Promise<SchemaRequest> {
  return readJsonObject(request);
}

async function compatibility({ registry, params, query, request }: RouteContext, spec: ReturnType<typeof parseVersion> | "all") {
  const verbose = flag(query, "verbose");
  let messages: string[];
  try {
    messages = registry.testCompatibility(params.subject!, spec, await schemaBody(request));
  } catch (error) {
    // Confluent reports an invalid candidate as "not compatible" when asked for details.
    if (verbose && error instanceof RegistryError && error.errorCode === 42201) messages = [error.message];
    else throw error;
  }
  return verbose ? { is_compatible: messages.length === 0, messages } : { is_compatible: messages.length === 0 };
}

// Confluent's ConfigUpdateRequest names it "compatibility"; GET answers "compatibilityLevel",
// and some tools send that back.
function levelIn(body: Record<string, unknown>): unknown {
  return body.compatibility ?? body.compatibilityLevel;
}

function modeUpdate(body: Record<string, unknown>) {
  if (typeof body.mode !== "string" || body.mode.toUpperCase() !== "READWRITE") throw invalidMode(body.mode);
  return READWRITE;
}

// Digits out of range are an unknown schema (40403); anything else no route at all (404).
function idParam(segment: string): number {
  const id = parseId(segment);
  if (id !== undefined) return id;
  throw /^-?\d+$/.test(segment) ? schemaNotFound(segment) : routeNotFound();
}
