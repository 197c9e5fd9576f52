#!/usr/bin/env bun
/**
 * `just registry`: serves the local Confluent-compatible Schema Registry (lib/registry) until
 * SIGINT/SIGTERM, with its state in SQLite so ids and subjects survive restarts.
 */
import { join } from "node:path";
import { parseCli } from "../lib/cli/args.ts";
import { BasicAuthConfigError } from "../lib/registry/auth.ts";
import { startRegistry } from "../lib/registry/server.ts";
import { paths } from "../lib/paths.ts";

const DEFAULT_DB = join(paths.state, "registry", "registry.sqlite");

const HELP = `Usage: bun scripts/registry.ts [--port N] [--host ADDR] [--db PATH] [--basic-auth USER:PASS] [--verbose]

Serves a Confluent-compatible Schema Registry (AVRO) until SIGINT/SIGTERM.

Options (flag, then environment, then default):
  --port N                 REGISTRY_PORT, default 8081 (0 = any free port)
  --host ADDR              default 127.0.0.1 (0.0.0.0 to listen on every interface)
  --db PATH                REGISTRY_DB, default ${DEFAULT_DB}
  --basic-auth USER:PASS   REGISTRY_BASIC_AUTH, default none (no auth)
  --verbose                log one line per request on stderr
  -h, --help               this text

Prints the URL on stdout once listening. Exit codes: 0 stopped by a signal, 1 could not start
(port taken, database unreadable), 2 bad arguments.`;

function fail(message: string, code: number): never {
  console.error(`registry: ${message}`);
  process.exit(code);
}

const { values } = parseCli("registry", HELP, {
  options: {
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    db: { type: "string" },
    "basic-auth": { type: "string" },
    verbose: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

// An empty variable counts as unset, as in .env files that list keys without values.
const portText = values.port ?? (process.env.REGISTRY_PORT || "8081");
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65535) fail(`--port: expected 0..65535, got '${portText}'`, 2);
const dbPath = values.db ?? (process.env.REGISTRY_DB || DEFAULT_DB);
const basicAuth = values["basic-auth"] ?? (process.env.REGISTRY_BASIC_AUTH || undefined);

let registry;
try {
  registry = startRegistry({ port, host: values.host, dbPath, basicAuth, verbose: values.verbose });
} catch (error) {
  if (error instanceof BasicAuthConfigError) fail(`--basic-auth / REGISTRY_BASIC_AUTH: ${error.message}`, 2);
  fail(`cannot start on ${values.host}:${port} with ${dbPath}: ${(error as Error).message}`, 1);
}
console.log(registry.url);
console.error(`registry: listening on ${registry.url} (db ${dbPath}${basicAuth ? ", basic auth on" : ""})`);

const running = registry;
const shutdown = async (signal: string) => {
  console.error(`registry: ${signal}, stopping`);
  await running.stop();
  process.exit(0);
};
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
