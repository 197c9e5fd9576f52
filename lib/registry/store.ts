/**
 * The registry's durable state in one SQLite file (`bun:sqlite`), so ids, versions and configs
 * survive restarts. Three tables: `schemas` (global ids; AUTOINCREMENT so an id is never handed
 * out twice, even after permanent deletes, as in Confluent), `versions` (subject × version →
 * schema id, with Confluent's soft-delete flag) and `config` (compatibility per subject; the
 * global level under the empty subject, which no URL can name).
 */
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** One stored schema: the global id and its canonical text. */
export interface SchemaRow {
  id: number;
  guid: string;
  schema_type: string;
  schema: string;
  fingerprint: string;
}

/** One subject version. `deleted` is 1 after a soft delete. */
export interface VersionRow {
  subject: string;
  version: number;
  schema_id: number;
  deleted: number;
}

const SCHEMA_VERSION = 1;
const GLOBAL = "";

const MIGRATION = `
CREATE TABLE IF NOT EXISTS schemas (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  guid        TEXT NOT NULL UNIQUE,
  schema_type TEXT NOT NULL,
  schema      TEXT NOT NULL,
  fingerprint TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
  subject    TEXT NOT NULL,
  version    INTEGER NOT NULL,
  schema_id  INTEGER NOT NULL REFERENCES schemas(id),
  deleted    INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (subject, version)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS versions_by_schema ON versions (schema_id);
CREATE TABLE IF NOT EXISTS config (
  subject       TEXT PRIMARY KEY,
  compatibility TEXT NOT NULL
) WITHOUT ROWID;
`;

/** Thrown when the database file belongs to a newer registry than this code. */
export class StoreVersionError extends Error {
  constructor(
    readonly path: string,
    readonly found: number,
  ) {
    super(`${path}: registry database format ${found} is newer than this registry (${SCHEMA_VERSION}); upgrade the code or use another --db`);
    this.name = "StoreVersionError";
  }
}

/** Synchronous data access; every method is one SQL statement or one transaction. */
export class RegistryStore {
  readonly db: Database;

  /** Opens (creating folders and tables as needed) the database at `path`; ":memory:" works too. */
  constructor(readonly path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { create: true, strict: true });
    // WAL: readers never wait for a writer; FULL: a registration acknowledged is on disk.
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;");
    const { user_version: found } = this.db.query<{ user_version: number }, []>("PRAGMA user_version").get()!;
    if (found > SCHEMA_VERSION) throw new StoreVersionError(path, found);
    this.db.exec(MIGRATION);
    this.db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  }

  /** Runs `fn` in one write transaction (IMMEDIATE, so two processes on one file serialise). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    this.db.close();
  }

  schemaById(id: number): SchemaRow | null {
    return this.db.query<SchemaRow, [number]>("SELECT * FROM schemas WHERE id = ?").get(id);
  }

  schemaByGuid(guid: string): SchemaRow | null {
    return this.db.query<SchemaRow, [string]>("SELECT * FROM schemas WHERE guid = ?").get(guid);
  }

  schemaByFingerprint(fingerprint: string): SchemaRow | null {
    return this.db.query<SchemaRow, [string]>("SELECT * FROM schemas WHERE fingerprint = ?").get(fingerprint);
  }

  /** The highest id handed out so far (0 before the first registration). */
  maxSchemaId(): number {
    return this.db.query<{ max: number | null }, []>("SELECT max(id) AS max FROM schemas").get()?.max ?? 0;
  }

  /** Stores a new schema and returns it with its fresh global id and guid. */
  insertSchema(schemaType: string, schema: string, fingerprint: string): SchemaRow {
    return this.db
      .query<SchemaRow, [string, string, string, string, number]>(
        "INSERT INTO schemas (guid, schema_type, schema, fingerprint, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *",
      )
      .get(crypto.randomUUID(), schemaType, schema, fingerprint, Date.now())!;
  }

  /** Every version of a subject, ascending; soft-deleted ones only when asked. */
  versions(subject: string, includeDeleted: boolean): VersionRow[] {
    return this.db
      .query<VersionRow, [string, number]>(
        "SELECT * FROM versions WHERE subject = ? AND (deleted = 0 OR ?) ORDER BY version",
      )
      .all(subject, includeDeleted ? 1 : 0);
  }

  version(subject: string, version: number): VersionRow | null {
    return this.db
      .query<VersionRow, [string, number]>("SELECT * FROM versions WHERE subject = ? AND version = ?")
      .get(subject, version);
  }

  /** The number the next version of `subject` gets: one past every version ever kept, deleted too. */
  nextVersion(subject: string): number {
    const row = this.db
      .query<{ max: number | null }, [string]>("SELECT max(version) AS max FROM versions WHERE subject = ?")
      .get(subject);
    return (row?.max ?? 0) + 1;
  }

  insertVersion(subject: string, version: number, schemaId: number): void {
    this.db
      .query("INSERT INTO versions (subject, version, schema_id, created_at) VALUES (?, ?, ?, ?)")
      .run(subject, version, schemaId, Date.now());
  }

  softDeleteVersion(subject: string, version: number): void {
    this.db.query("UPDATE versions SET deleted = 1 WHERE subject = ? AND version = ?").run(subject, version);
  }

  removeVersion(subject: string, version: number): void {
    this.db.query("DELETE FROM versions WHERE subject = ? AND version = ?").run(subject, version);
  }

  /** Hard-deletes soft-deleted versions of `subject` that point at `schemaId` (re-registration). */
  removeDeletedVersionsOf(subject: string, schemaId: number): void {
    this.db.query("DELETE FROM versions WHERE subject = ? AND schema_id = ? AND deleted = 1").run(subject, schemaId);
  }

  /** Subjects with a live version (or any version, with `includeDeleted`), sorted. */
  subjects(includeDeleted: boolean, prefix = ""): string[] {
    return this.db
      .query<{ subject: string }, [number, string, string]>(
        "SELECT DISTINCT subject FROM versions WHERE (deleted = 0 OR ?) AND substr(subject, 1, length(?)) = ? ORDER BY subject",
      )
      .all(includeDeleted ? 1 : 0, prefix, prefix)
      .map((row) => row.subject);
  }

  /** Where a schema id is used: (subject, version) pairs, sorted. */
  usesOfSchema(schemaId: number, includeDeleted: boolean): VersionRow[] {
    return this.db
      .query<VersionRow, [number, number]>(
        "SELECT * FROM versions WHERE schema_id = ? AND (deleted = 0 OR ?) ORDER BY subject, version",
      )
      .all(schemaId, includeDeleted ? 1 : 0);
  }

  /** Every live version of every subject, for `GET /schemas`. */
  liveVersions(prefix = ""): VersionRow[] {
    return this.db
      .query<VersionRow, [string, string]>(
        "SELECT * FROM versions WHERE deleted = 0 AND substr(subject, 1, length(?)) = ? ORDER BY subject, version",
      )
      .all(prefix, prefix);
  }

  /** The compatibility level set for `subject` (null = global), or null when none is set. */
  compatibility(subject: string | null): string | null {
    return (
      this.db
        .query<{ compatibility: string }, [string]>("SELECT compatibility FROM config WHERE subject = ?")
        .get(subject ?? GLOBAL)?.compatibility ?? null
    );
  }

  setCompatibility(subject: string | null, level: string): void {
    this.db
      .query("INSERT INTO config (subject, compatibility) VALUES (?, ?) ON CONFLICT (subject) DO UPDATE SET compatibility = excluded.compatibility")
      .run(subject ?? GLOBAL, level);
  }

  deleteCompatibility(subject: string | null): void {
    this.db.query("DELETE FROM config WHERE subject = ?").run(subject ?? GLOBAL);
  }
}
