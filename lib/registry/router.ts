/**
 * A small path router: routes are "METHOD /a/:param/b" patterns matched segment by segment on
 * the raw (still percent-encoded) path, so a subject containing "/" (sent as %2F) stays one
 * segment. Unknown paths answer Jersey's 404 and known paths with another method its 405.
 */
import { methodNotAllowed, routeNotFound } from "./errors.ts";
import type { SchemaRegistry } from "./registry.ts";

/** What a handler gets: decoded path params, the query, the request and the registry. */
export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  request: Request;
  registry: SchemaRegistry;
}

/** Returns the response body (serialised as JSON with Confluent's content type). */
export type Handler = (context: RouteContext) => unknown | Promise<unknown>;

/** One endpoint. */
export interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

/** Builds a route from "GET /subjects/:subject/versions". */
export function route(spec: string, handler: Handler): Route {
  const [method, path] = spec.split(" ") as [string, string];
  return { method, segments: splitPath(path), handler };
}

/** A matched route and its params. */
export interface Match {
  route: Route;
  params: Record<string, string>;
}

/**
 * Finds the route for `method` and raw `pathname`; throws 404/405 `RegistryError`s. A malformed
 * percent-escape in a segment is a 404, like a path no route knows.
 */
export function match(routes: Route[], method: string, pathname: string): Match {
  const segments = splitPath(pathname);
  let pathMatched = false;
  for (const candidate of routes) {
    const params = matchSegments(candidate.segments, segments);
    if (!params) continue;
    if (candidate.method === method) return { route: candidate, params };
    pathMatched = true;
  }
  throw pathMatched ? methodNotAllowed() : routeNotFound();
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const actual = segments[i]!;
    if (expected.startsWith(":")) {
      if (actual === "") return undefined;
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

// "/subjects/x/" is "/subjects/x": Jersey ignores one trailing slash.
function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, "").replace(/\/$/, "");
  return trimmed === "" ? [] : trimmed.split("/");
}
