/**
 * Confluent Schema Registry error vocabulary: every failure the registry reports is a
 * `RegistryError` carrying the HTTP status and Confluent's numeric `error_code`, because clients
 * branch on those numbers (a 404 with 40401 on `GET /config/{s}` means "first registration" to
 * @kafkajs/confluent-schema-registry, for instance). Messages follow Confluent's wording so that
 * anyone who searches for them finds Confluent's documentation.
 */

/** The body Confluent sends with every error response. */
export interface ErrorBody {
  error_code: number;
  message: string;
}

/** A client-visible registry failure: HTTP `status`, Confluent `errorCode`, human `message`. */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RegistryError";
  }

  /** The JSON body Confluent clients parse (`error_code`, `message`). */
  toBody(): ErrorBody {
    return { error_code: this.errorCode, message: this.message };
  }
}

/** 40401: the subject has no (live) version. */
export const subjectNotFound = (subject: string) =>
  new RegistryError(404, 40401, `Subject '${subject}' not found.`);

/** 40402: the subject exists but not this version. */
export const versionNotFound = (version: number | string) =>
  new RegistryError(404, 40402, `Version ${version} not found.`);

/** 40403: no schema with this id / guid, or the looked-up schema is not under the subject. */
export const schemaNotFound = (id?: number | string) =>
  new RegistryError(404, 40403, id === undefined ? "Schema not found" : `Schema ${id} not found`);

/** 40404: soft delete of a subject that is already soft-deleted. */
export const subjectSoftDeleted = (subject: string) =>
  new RegistryError(
    404,
    40404,
    `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`,
  );

/** 40405: permanent delete of a subject that was not soft-deleted first. */
export const subjectNotSoftDeleted = (subject: string) =>
  new RegistryError(
    404,
    40405,
    `Subject '${subject}' was not deleted first before being permanently deleted`,
  );

/** 40406: soft delete of a version that is already soft-deleted. */
export const versionSoftDeleted = (subject: string, version: number) =>
  new RegistryError(
    404,
    40406,
    `Subject '${subject}' Version ${version} was soft deleted. Set permanent=true to delete permanently`,
  );

/** 40407: permanent delete of a version that was not soft-deleted first. */
export const versionNotSoftDeleted = (subject: string, version: number) =>
  new RegistryError(
    404,
    40407,
    `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`,
  );

/** 40408: `GET /config/{s}` for a subject without its own compatibility level. */
export const subjectCompatibilityNotConfigured = (subject: string) =>
  new RegistryError(
    404,
    40408,
    `Subject '${subject}' does not have subject-level compatibility configured`,
  );

/** 40409: `GET /mode/{s}` for a subject without its own mode. */
export const subjectModeNotConfigured = (subject: string) =>
  new RegistryError(404, 40409, `Subject '${subject}' does not have subject-level mode configured`);

/**
 * 409: the schema breaks the subject's compatibility level. Confluent used error_code 409 up to
 * 8.1 (40901 since late 2025); clients only look at the HTTP status, and 409 is what the
 * registries people run today answer.
 */
export const incompatibleSchema = (subject: string, details: string[]) =>
  new RegistryError(
    409,
    409,
    `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${details.join(", ")}]`,
  );

/** 42201: unparsable or invalid schema, unsupported schema type or references. */
export const invalidSchema = (reason: string, cause?: unknown) =>
  new RegistryError(422, 42201, `Invalid schema: ${reason}`, { cause });

/** 42202: a version segment that is neither 1..2^31-1, -1 nor "latest". */
export const invalidVersion = (version: string) =>
  new RegistryError(
    422,
    42202,
    `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
  );

/** 42203: a compatibility level outside NONE/BACKWARD/FORWARD/FULL(+_TRANSITIVE). */
export const invalidCompatibilityLevel = (level: unknown) =>
  new RegistryError(
    422,
    42203,
    `Invalid compatibility level ${JSON.stringify(level) ?? "(missing)"}. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive`,
  );

/** 42204: a mode other than READWRITE (the only one this registry runs in). */
export const invalidMode = (mode: unknown) =>
  new RegistryError(
    422,
    42204,
    `Invalid mode ${JSON.stringify(mode) ?? "(missing)"}: this registry only supports READWRITE`,
  );

/** 42208: a subject name Confluent refuses (empty, or with control characters). */
export const invalidSubject = (subject: string) =>
  new RegistryError(422, 42208, `The specified subject '${subject}' is not valid: it must be non-empty and contain no control characters`);

/** 400: the request body is not JSON, or not the JSON object the endpoint expects. */
export const badRequest = (reason: string) => new RegistryError(400, 400, reason);

/** 401: basic auth missing or wrong. */
export const unauthorized = () => new RegistryError(401, 401, "Unauthorized");

/** 404 from the router: no such endpoint (Jersey's generic answer). */
export const routeNotFound = () => new RegistryError(404, 404, "HTTP 404 Not Found");

/** 405 from the router: the endpoint exists with other methods. */
export const methodNotAllowed = () => new RegistryError(405, 405, "HTTP 405 Method Not Allowed");

/** 415: a request body with a content type Confluent would refuse. */
export const unsupportedMediaType = (type: string) =>
  new RegistryError(
    415,
    415,
    `HTTP 415 Unsupported Media Type: '${type}' (send application/vnd.schemaregistry.v1+json or application/json)`,
  );

/** 50001: anything unexpected; the cause is logged on stderr, never sent to the client. */
export const internalError = (cause: unknown) =>
  new RegistryError(500, 50001, "Error in the backend data store", { cause });
