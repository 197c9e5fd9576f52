/**
 * The registry's rules, independent of HTTP: register (idempotent, global ids, compatibility
 * gate), lookup, reads, soft/permanent deletes and compatibility tests, with Confluent's
 * semantics and error codes. State lives in a `RegistryStore`; compiled avsc types of stored
 * schemas are cached in memory because compatibility checks need them on every register.
 */
import type { Type } from "avsc";
import { canonicalize, compileStored, SCHEMA_TYPE, type SchemaRequest } from "./canonical.ts";
import {
  checkCompatibility,
  DEFAULT_COMPATIBILITY,
  type CompatibilityLevel,
  type PreviousVersion,
} from "./compatibility.ts";
import {
  incompatibleSchema,
  invalidSubject,
  schemaNotFound,
  subjectNotFound,
  subjectNotSoftDeleted,
  subjectSoftDeleted,
  versionNotFound,
  versionNotSoftDeleted,
  versionSoftDeleted,
} from "./errors.ts";
import type { RegistryStore, SchemaRow, VersionRow } from "./store.ts";

/** A version number, or the latest version ("latest" and -1 in URLs). */
export type VersionSpec = number | "latest";

/** A schema as Confluent returns it under a subject. `schemaType` is omitted for AVRO, as Confluent does. */
export interface SubjectSchema {
  subject: string;
  version: number;
  id: number;
  guid: string;
  schema: string;
}

/** A schema as `GET /schemas/ids/{id}` returns it. */
export interface SchemaById {
  schema: string;
  guid: string;
}

/** Subject-version pair, as `GET /schemas/ids/{id}/versions` lists them. */
export interface SubjectVersion {
  subject: string;
  version: number;
}

// Confluent refuses ISO control characters in subject names (42208).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Confluent's registry semantics over a `RegistryStore`. */
export class SchemaRegistry {
  private readonly types = new Map<number, Type>();

  constructor(private readonly store: RegistryStore) {}

  /**
   * Registers `request` under `subject`. The same canonical schema already live in the subject
   * returns its id and version unchanged; a schema known under another subject keeps its global
   * id; anything else must pass the subject's compatibility level (409 otherwise).
   */
  register(subject: string, request: SchemaRequest): SubjectSchema {
    if (subject === "" || CONTROL.test(subject)) throw invalidSubject(subject);
    const parsed = canonicalize(request);
    return this.store.transaction(() => {
      const all = this.store.versions(subject, true);
      const live = all.filter((row) => row.deleted === 0);
      const known = this.store.schemaByFingerprint(parsed.fingerprint);
      const same = known && live.find((row) => row.schema_id === known.id);
      if (known && same) return this.view(same, known);

      const messages = checkCompatibility(this.compatibilityOf(subject), parsed.type, this.previous(live));
      if (messages.length > 0) throw incompatibleSchema(subject, messages);

      const row = known ?? this.store.insertSchema(SCHEMA_TYPE, parsed.text, parsed.fingerprint);
      this.types.set(row.id, parsed.type);
      const version = (all.at(-1)?.version ?? 0) + 1;
      // Like Confluent: a soft-deleted version of the same schema is replaced, not kept twice.
      this.store.removeDeletedVersionsOf(subject, row.id);
      this.store.insertVersion(subject, version, row.id);
      return this.view({ subject, version, schema_id: row.id, deleted: 0 }, row);
    });
  }

  /** `POST /subjects/{s}`: the version of `subject` holding this schema (40401 / 40403 otherwise). */
  lookup(subject: string, request: SchemaRequest, includeDeleted: boolean): SubjectSchema {
    const parsed = canonicalize(request);
    const rows = this.store.versions(subject, includeDeleted);
    if (rows.length === 0) throw subjectNotFound(subject);
    const known = this.store.schemaByFingerprint(parsed.fingerprint);
    const match = known && rows.findLast((row) => row.schema_id === known.id);
    if (!known || !match) throw schemaNotFound();
    return this.view(match, known);
  }

  subjects(includeDeleted: boolean, prefix = ""): string[] {
    return this.store.subjects(includeDeleted, prefix);
  }

  /** Version numbers of a subject (40401 when it has none). */
  versions(subject: string, includeDeleted: boolean): number[] {
    const rows = this.store.versions(subject, includeDeleted);
    if (rows.length === 0) throw subjectNotFound(subject);
    return rows.map((row) => row.version);
  }

  /** One version of a subject (40401 unknown subject, 40402 unknown version). */
  version(subject: string, spec: VersionSpec, includeDeleted: boolean): SubjectSchema {
    const row = this.findVersion(subject, spec, includeDeleted);
    return this.view(row, this.schemaRow(row.schema_id));
  }

  /** `GET /schemas/ids/{id}`: found while any version, even soft-deleted, still uses it. */
  schemaById(id: number): SchemaById {
    const row = this.store.schemaById(id);
    if (!row || this.store.usesOfSchema(id, true).length === 0) throw schemaNotFound(id);
    return { schema: row.schema, guid: row.guid };
  }

  /** `GET /schemas/guids/{guid}`. */
  schemaByGuid(guid: string): SchemaById & { id: number } {
    const row = this.store.schemaByGuid(guid);
    if (!row || this.store.usesOfSchema(row.id, true).length === 0) throw schemaNotFound(guid);
    return { id: row.id, schema: row.schema, guid: row.guid };
  }

  /** Subject-versions that use schema `id`. */
  usesOfSchema(id: number, includeDeleted: boolean): SubjectVersion[] {
    this.schemaById(id);
    return this.store.usesOfSchema(id, includeDeleted).map(({ subject, version }) => ({ subject, version }));
  }

  /** All live versions (for `GET /schemas`), optionally only the latest per subject. */
  liveSchemas(prefix: string, latestOnly: boolean): SubjectSchema[] {
    const rows = this.store.liveVersions(prefix);
    const kept = latestOnly ? rows.filter((row, i) => rows[i + 1]?.subject !== row.subject) : rows;
    return kept.map((row) => this.view(row, this.schemaRow(row.schema_id)));
  }

  /**
   * `DELETE /subjects/{s}`: soft-deletes every live version; with `permanent`, removes a subject
   * that was soft-deleted first (40405 otherwise) and its compatibility setting.
   */
  deleteSubject(subject: string, permanent: boolean): number[] {
    return this.store.transaction(() => {
      const all = this.store.versions(subject, true);
      if (all.length === 0) throw subjectNotFound(subject);
      const live = all.filter((row) => row.deleted === 0);
      if (!permanent) {
        if (live.length === 0) throw subjectSoftDeleted(subject);
        for (const row of live) this.store.softDeleteVersion(subject, row.version);
        return live.map((row) => row.version);
      }
      if (live.length > 0) throw subjectNotSoftDeleted(subject);
      for (const row of all) this.store.removeVersion(subject, row.version);
      this.store.deleteCompatibility(subject);
      return all.map((row) => row.version);
    });
  }

  /** `DELETE /subjects/{s}/versions/{v}`: soft, or permanent after a soft delete (40407 otherwise). */
  deleteVersion(subject: string, spec: VersionSpec, permanent: boolean): number {
    return this.store.transaction(() => {
      const all = this.store.versions(subject, true);
      if (all.length === 0) throw subjectNotFound(subject);
      if (!permanent) {
        const row = this.findVersion(subject, spec, false, all);
        this.store.softDeleteVersion(subject, row.version);
        return row.version;
      }
      const row = spec === "latest" ? all.at(-1)! : all.find((candidate) => candidate.version === spec);
      if (!row) throw versionNotFound(spec);
      if (row.deleted === 0) throw versionNotSoftDeleted(subject, row.version);
      this.store.removeVersion(subject, row.version);
      return row.version;
    });
  }

  /**
   * Compatibility of `request` with one version (`spec`) or, for "all", with every live version
   * as the subject's level demands. Returns Confluent-style messages; empty means compatible.
   * "latest" on a subject without versions is compatible, as in Confluent.
   */
  testCompatibility(subject: string, spec: VersionSpec | "all", request: SchemaRequest): string[] {
    const parsed = canonicalize(request);
    const live = this.store.versions(subject, false);
    let against: VersionRow[];
    if (spec === "all") against = live;
    else if (spec === "latest") against = live.slice(-1);
    else {
      const row = live.find((candidate) => candidate.version === spec);
      if (!row) throw versionNotFound(spec);
      against = [row];
    }
    return checkCompatibility(this.compatibilityOf(subject), parsed.type, this.previous(against));
  }

  /** The level set on `subject` itself (null = the global one), or null when none is set. */
  ownCompatibility(subject: string | null): CompatibilityLevel | null {
    return this.store.compatibility(subject) as CompatibilityLevel | null;
  }

  /** Sets the level of `subject` (null = global). Subjects need not exist yet, as in Confluent. */
  setCompatibility(subject: string | null, level: CompatibilityLevel): void {
    if (subject !== null && CONTROL.test(subject)) throw invalidSubject(subject);
    this.store.setCompatibility(subject, level);
  }

  /** Removes the level of `subject` (null = global, back to BACKWARD). */
  deleteCompatibility(subject: string | null): void {
    this.store.deleteCompatibility(subject);
  }

  /** The highest schema id handed out so far. */
  maxSchemaId(): number {
    return this.store.maxSchemaId();
  }

  /** The level that applies to `subject`: its own, else the global one, else BACKWARD. */
  compatibilityOf(subject: string | null): CompatibilityLevel {
    const own = subject === null ? null : this.ownCompatibility(subject);
    return own ?? this.ownCompatibility(null) ?? DEFAULT_COMPATIBILITY;
  }

  private findVersion(subject: string, spec: VersionSpec, includeDeleted: boolean, all?: VersionRow[]): VersionRow {
    const rows = (all ?? this.store.versions(subject, true)).filter((row) => includeDeleted || row.deleted === 0);
    if (rows.length === 0) throw subjectNotFound(subject);
    if (spec === "latest") return rows.at(-1)!;
    const row = rows.find((candidate) => candidate.version === spec);
    if (row) return row;
    const deleted = !includeDeleted && all?.find((candidate) => candidate.version === spec && candidate.deleted === 1);
    if (deleted) throw versionSoftDeleted(subject, spec);
    throw versionNotFound(spec);
  }

  private previous(rows: VersionRow[]): PreviousVersion[] {
    return rows.map((row) => ({ version: row.version, id: row.schema_id, type: this.typeOf(row.schema_id) }));
  }

  private typeOf(id: number): Type {
    let type = this.types.get(id);
    if (!type) {
      type = compileStored(this.schemaRow(id).schema);
      this.types.set(id, type);
    }
    return type;
  }

  private schemaRow(id: number): SchemaRow {
    const row = this.store.schemaById(id);
    // versions.schema_id references schemas.id, so this only fires on a corrupted database.
    if (!row) throw new Error(`registry database is inconsistent: a version points at missing schema id ${id}`);
    return row;
  }

  private view(row: VersionRow, schema: SchemaRow): SubjectSchema {
    return { subject: row.subject, version: row.version, id: schema.id, guid: schema.guid, schema: schema.schema };
  }
}
