import type { Server } from "bun";
import { pageAssets, type Asset } from "./assets.ts";
import type { DashboardSource } from "./source.ts";

/** How to run the dashboard's web server. */
export interface DashboardServerOptions {
  source: DashboardSource;
  /** 0 picks a free port (tests). */
  port: number;
  hostname: string;
  /** How often the page refreshes the live panel; the overview follows at a slower pace. */
  refreshSeconds: number;
}

/** A running dashboard: its address and how to stop it. */
export interface DashboardServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

// The page loads nothing from elsewhere; the policy makes a stray external reference fail
// visibly in development instead of silently working only when online.
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/**
 * Starts the dashboard: the page's files, and JSON endpoints that read the warehouse through
 * `source` on every request —
 *   GET /api/overview   headline numbers, daily series, funnel, top categories and brands (dbt models)
 *   GET /api/live       rows landed, ingestion lag, rows per minute (the raw table)
 *   GET /api/config     refresh interval and warehouse, for the page
 * A warehouse failure answers 500 with `{status: "error", error}` and the warehouse's message.
 */
export function startDashboard(options: DashboardServerOptions): DashboardServer {
  const assets = pageAssets();
  const { source } = options;
  const server: Server<undefined> = Bun.serve({
    port: options.port,
    hostname: options.hostname,
    routes: {
      "/api/overview": { GET: () => json(() => source.overview()) },
      "/api/live": { GET: () => json(() => source.live()) },
      "/api/config": {
        GET: () => json(async () => ({ refreshSeconds: options.refreshSeconds, warehouse: source.warehouse })),
      },
    },
    fetch(request) {
      if (request.method !== "GET" && request.method !== "HEAD") {
        return new Response("method not allowed\n", { status: 405, headers: { allow: "GET, HEAD", ...SECURITY_HEADERS } });
      }
      const asset = assets.get(new URL(request.url).pathname);
      return asset ? serveAsset(asset) : new Response("not found\n", { status: 404, headers: SECURITY_HEADERS });
    },
    error(error) {
      console.error(`dashboard: ${error.stack ?? error.message}`);
      return new Response(`internal error: ${error.message}\n`, { status: 500, headers: SECURITY_HEADERS });
    },
  });
  const url = `http://${displayHost(options.hostname)}:${server.port}/`;
  return {
    url,
    port: server.port ?? options.port,
    stop: async () => {
      await server.stop(true);
      await source.close();
    },
  };
}

/** Runs `read` and answers its result as JSON, or 500 with the error's message. */
async function json(read: () => Promise<unknown>): Promise<Response> {
  const headers = { "cache-control": "no-store", ...SECURITY_HEADERS };
  try {
    return Response.json(await read(), { headers });
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    console.error(`dashboard: ${message}`);
    return Response.json({ status: "error", error: message }, { status: 500, headers });
  }
}

function serveAsset(asset: Asset): Response {
  return new Response(Bun.file(asset.file), {
    headers: {
      "content-type": asset.type,
      "cache-control": asset.immutable ? "public, max-age=86400" : "no-cache",
      ...SECURITY_HEADERS,
    },
  });
}

/** A host for the printed URL: a wildcard bind is reachable at localhost. */
function displayHost(hostname: string): string {
  if (hostname === "0.0.0.0" || hostname === "::" || hostname === "") return "localhost";
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}
