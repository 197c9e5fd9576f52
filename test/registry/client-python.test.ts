import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../../lib/paths.ts";
import { startTestRegistry, type TestRegistry } from "./harness.ts";

const SCRIPT = join(import.meta.dir, "python_client.py");
const SCHEMA = join(paths.schemas, "ecom_event.avsc");

/** Runs python_client.py against `url` and returns its JSON report. */
async function runPythonClient(url: string, auth?: string): Promise<Record<string, any>> {
  if (!existsSync(paths.python)) {
    throw new Error(`${paths.python} is missing: run \`just setup\` (it installs confluent-kafka into the venv)`);
  }
  const child = Bun.spawn([paths.python, SCRIPT, url, SCHEMA, ...(auth ? [auth] : [])], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (code !== 0) throw new Error(`python_client.py exited ${code}:\n${stderr}`);
  return JSON.parse(stdout);
}

let registry: TestRegistry;
beforeAll(() => {
  registry = startTestRegistry({ basicAuth: "py:secret" });
});
afterAll(() => registry.dispose());

describe("confluent_kafka SchemaRegistryClient (Python) against the registry", () => {
  it("registers, reads, looks up, checks compatibility and round-trips Avro", async () => {
    const out = await runPythonClient(registry.url, "py:secret");
    expect(out.register_id).toBe(1);
    expect(out.register_again_id).toBe(1);
    expect(out.fetched_name).toBe("EcomEvent");
    expect(out.lookup).toEqual({ id: 1, version: 1, subject: "ecom_events-value" });
    expect(out.latest).toEqual({ id: 1, version: 1 });
    expect(out.versions).toEqual([1]);
    expect(out.compatible).toBe(true);
    expect(out.incompatible).toBe(false);
    expect(out.incompatible_register).toMatchObject({ status: 409, error_code: 409 });
    expect(out.invalid_register).toMatchObject({ status: 422, error_code: 42201 });
    expect(out.unknown_id).toMatchObject({ status: 404, error_code: 40403 });
    expect(out.compatibility).toBe("FULL");
    expect(out.wire_magic).toBe(0);
    expect(out.round_trip).toEqual({ page: "/home" });
    expect(out.deleted_versions).toEqual([1]);
    expect(out.subjects_after_delete).toEqual(["clicks-value", "ecom_events-value"]);
  });

  it("gets 401 without credentials", async () => {
    await expect(runPythonClient(registry.url)).rejects.toThrow(/401|Unauthorized/);
  });
});
