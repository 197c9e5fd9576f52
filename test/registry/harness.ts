/**
 * Test harness: a real registry on a random loopback port with its own SQLite file in a fresh
 * temporary folder, plus a tiny HTTP helper that returns status, headers and parsed body.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { paths } from "../../lib/paths.ts";
import { startRegistry, type RegistryOptions, type RunningRegistry } from "../../lib/registry/server.ts";

/** The project's Avro value schema, as text. */
export const ECOM_SCHEMA = readFileSync(join(paths.schemas, "ecom_event.avsc"), "utf8");

/** Confluent's request media type. */
export const SR_JSON = "application/vnd.schemaregistry.v1+json";

/** A reply: status, headers, raw text and the JSON body (undefined when not JSON). */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // Tests index into bodies freely; a wrong shape fails the expectation that reads it.
  body: any;
}

/** A running test registry. */
export interface TestRegistry extends RunningRegistry {
  dbPath: string;
  /** Sends `body` (objects JSON-encoded, strings as-is) with Confluent's content type unless overridden. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** Stops the server and removes the temporary folder it was given (if the harness made one). */
  dispose(): Promise<void>;
}

/** Makes a temporary folder for a registry database. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "registry-test-"));
}

/** Starts a registry on port 0 (a database in a new temp folder unless `dbPath` is given). */
export function startTestRegistry(options: Partial<RegistryOptions> = {}): TestRegistry {
  const dir = options.dbPath ? undefined : tempDir();
  const dbPath = options.dbPath ?? join(dir!, "registry.sqlite");
  const cleanup = () => dir && rmSync(dir, { recursive: true, force: true });
  let running: RunningRegistry;
  try {
    running = startRegistry({ port: 0, host: "127.0.0.1", log: () => {}, ...options, dbPath });
  } catch (error) {
    cleanup();
    throw error;
  }
  return {
    ...running,
    dbPath,
    call: (method, path, body, headers) => call(running.url, method, path, body, headers),
    async dispose() {
      await running.stop();
      cleanup();
    },
  };
}

/** One HTTP request against `base`. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const init: RequestInit = { method, headers: { "Content-Type": SR_JSON, ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(base + path, init);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** A record schema named `name` with the given fields, as registry request text. */
export function record(name: string, fields: Array<Record<string, unknown>>): string {
  return JSON.stringify({ type: "record", name, namespace: "test", fields });
}
