/**
 * Starts the registry on `Bun.serve`: opens the SQLite store, checks basic auth, routes, and
 * turns every failure into a Confluent error body — unexpected ones as 50001 with the cause
 * logged on stderr, so no request (malformed JSON, odd paths, hostile schemas) can take the
 * process down. Used by scripts/registry.ts, the local stack and the tests (port 0 = random).
 */
import type { Server } from "bun";
import { basicAuthCheck, WWW_AUTHENTICATE } from "./auth.ts";
import { internalError, RegistryError, unauthorized } from "./errors.ts";
import { respondError, respond } from "./http.ts";
import { SchemaRegistry } from "./registry.ts";
import { match } from "./router.ts";
import { routes } from "./routes.ts";
import { RegistryStore } from "./store.ts";

/** How to run a registry. */
export interface RegistryOptions {
  /** TCP port; 0 picks a free one (default 8081). */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** SQLite file (created with its folders), or ":memory:". */
  dbPath: string;
  /** "user:password" to require HTTP basic auth; empty or undefined for none. */
  basicAuth?: string;
  /** Log one line per request on stderr. */
  verbose?: boolean;
  /** Where log lines go (default stderr). */
  log?: (line: string) => void;
}

/** A running registry. */
export interface RunningRegistry {
  /** Base URL clients use, e.g. http://127.0.0.1:8081. */
  url: string;
  port: number;
  /** Stops accepting requests, closes open connections and the database. */
  stop(): Promise<void>;
}

// Confluent refuses schemas over ~1 MiB (one Kafka record); 16 MiB leaves room and still
// stops a client from streaming gigabytes into memory.
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Opens the store at `dbPath` and serves Confluent's REST API on `host:port`. Throws when the
 * port is taken or the database cannot be opened (the store is closed again in that case).
 */
export function startRegistry(options: RegistryOptions): RunningRegistry {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((line: string) => console.error(line));
  const authorized = basicAuthCheck(options.basicAuth);
  const store = new RegistryStore(options.dbPath);
  const registry = new SchemaRegistry(store);

  const handle = async (request: Request): Promise<Response> => {
    const started = performance.now();
    const url = new URL(request.url);
    let response: Response;
    try {
      if (authorized && !authorized(request)) {
        response = respondError(unauthorized(), { "WWW-Authenticate": WWW_AUTHENTICATE });
      } else {
        const { route, params } = match(routes, request.method, url.pathname);
        response = respond(await route.handler({ params, query: url.searchParams, request, registry }));
      }
    } catch (error) {
      if (!(error instanceof RegistryError)) {
        log(`registry: internal error on ${request.method} ${url.pathname}: ${(error as Error)?.stack ?? String(error)}`);
      }
      response = respondError(error instanceof RegistryError ? error : internalError(error));
    }
    if (options.verbose) {
      log(`registry: ${request.method} ${url.pathname}${url.search} ${response.status} ${(performance.now() - started).toFixed(1)}ms`);
    }
    return response;
  };

  let server: Server<undefined>;
  try {
    server = Bun.serve({
      port: options.port ?? 8081,
      hostname: host,
      maxRequestBodySize: MAX_BODY_BYTES,
      fetch: handle,
      // Reached only if Bun itself fails around our handler; still answer like Confluent.
      error: (error) => {
        log(`registry: internal error: ${error.stack ?? error.message}`);
        return respondError(internalError(error));
      },
    });
  } catch (error) {
    store.close();
    throw error;
  }

  const port = server.port!;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    stop() {
      stopped ??= server.stop(true).then(() => store.close());
      return stopped;
    },
  };
}

// A wildcard bind is reached through loopback; IPv6 literals need brackets in URLs.
function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
