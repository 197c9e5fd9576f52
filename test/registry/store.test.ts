import { Database } from "bun:sqlite";
import { afterAll, describe, expect, it } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { RegistryStore, StoreVersionError } from "../../lib/registry/store.ts";
import { call, ECOM_SCHEMA, record, startTestRegistry, tempDir } from "./harness.ts";

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("RegistryStore persistence", () => {
  it("keeps ids, versions, subjects, configs and deletes across a restart", async () => {
    const dbPath = join(dir, "nested", "folder", "registry.sqlite");
    const first = startTestRegistry({ dbPath });
    const a = record("A", [{ name: "x", type: "int" }]);
    const b = record("B", [{ name: "y", type: "string" }]);
    expect((await first.call("POST", "/subjects/ecom_events-value/versions", { schema: ECOM_SCHEMA })).body.id).toBe(1);
    expect((await first.call("POST", "/subjects/a/versions", { schema: a })).body.id).toBe(2);
    expect((await first.call("POST", "/subjects/b/versions", { schema: b })).body.id).toBe(3);
    await first.call("PUT", "/config/a", { compatibility: "FULL_TRANSITIVE" });
    await first.call("PUT", "/config", { compatibility: "FORWARD" });
    await first.call("DELETE", "/subjects/b");
    await first.call("DELETE", "/subjects/b?permanent=true");
    const guid = (await first.call("GET", "/schemas/ids/1")).body.guid;
    await first.stop();

    const second = startTestRegistry({ dbPath });
    try {
      expect((await second.call("GET", "/subjects")).body).toEqual(["a", "ecom_events-value"]);
      expect((await second.call("GET", "/schemas/ids/1")).body).toMatchObject({ guid });
      expect((await second.call("POST", "/subjects/ecom_events-value/versions", { schema: ECOM_SCHEMA })).body).toMatchObject({ id: 1, version: 1 });
      expect((await second.call("POST", "/subjects/a", { schema: a })).body).toMatchObject({ id: 2, version: 1 });
      expect((await second.call("GET", "/config/a")).body).toEqual({ compatibilityLevel: "FULL_TRANSITIVE" });
      expect((await second.call("GET", "/config")).body).toEqual({ compatibilityLevel: "FORWARD" });
      // Id 3 went with the permanently deleted subject and is never handed out again.
      const c = record("C", [{ name: "z", type: "long" }]);
      expect((await second.call("POST", "/subjects/c/versions", { schema: c })).body.id).toBe(4);
    } finally {
      await second.dispose();
    }
  });

  it("refuses a database written by a newer registry", () => {
    const path = join(dir, "future.sqlite");
    const db = new Database(path);
    db.exec("PRAGMA user_version = 99");
    db.close();
    expect(() => new RegistryStore(path)).toThrow(StoreVersionError);
    expect(() => startTestRegistry({ dbPath: path })).toThrow("newer than this registry");
  });

  it("runs on an in-memory database", async () => {
    const memory = startTestRegistry({ dbPath: ":memory:" });
    try {
      expect((await call(memory.url, "POST", "/subjects/m/versions", { schema: '"string"' })).body.id).toBe(1);
    } finally {
      await memory.dispose();
    }
  });
});
