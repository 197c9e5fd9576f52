/**
 * A loopback HTTP proxy in front of the BigQuery emulator that misbehaves on purpose, to exercise
 * the sink's retry, split and partial-failure paths over real connections. Every request other
 * than tabledata.insertAll is forwarded untouched; insertAll requests meet the faults below, in
 * this order, and the tests change `faults` between writes.
 */

/** Faults for insertAll requests; counters count down as they are used. */
export interface Faults {
  /** Answer this many insertAll requests with 503 (without forwarding). */
  unavailable: number;
  /** Answer this many insertAll requests with 503 after `stallMs` (a client with a shorter timeout gives up first). */
  stalled: number;
  stallMs: number;
  /** Refuse insertAll bodies larger than this many bytes, as `tooLargeAs` says. */
  maxBodyBytes: number;
  /**
   * How: 413 as Google's front end answers far-too-large bodies, or 400 "Request payload size
   * exceeds the limit" as BigQuery itself answers bodies just over 10 MiB.
   */
  tooLargeAs: 413 | 400;
  /**
   * A reason when a row must be refused, else undefined. When any row of a request is refused, the
   * proxy answers as BigQuery does with skipInvalidRows=false: 200, the refused rows `invalid`, all
   * others `stopped`, nothing inserted.
   */
  invalid?: (json: Record<string, unknown>) => string | undefined;
}

/** What the proxy saw, for assertions. */
export interface ProxyLog {
  /** Every insertAll request: its status and the insertIds it carried. */
  insertAll: { status: number; bytes: number; insertIds: string[] }[];
}

export interface FaultProxy {
  url: string;
  faults: Faults;
  log: ProxyLog;
  /** Clears faults and the log. */
  reset(): void;
  stop(): Promise<void>;
}

const noFaults = (): Faults => ({ unavailable: 0, stalled: 0, stallMs: 0, maxBodyBytes: Infinity, tooLargeAs: 413 });

interface InsertAllBody {
  rows?: { insertId?: string; json: Record<string, unknown> }[];
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

const apiError = (status: number, reason: string, message: string) =>
  json(status, { error: { code: status, message, errors: [{ reason, message, domain: "global" }] } });

/** Starts the proxy on a free loopback port, forwarding to `target` (the emulator's base URL). */
export function startFaultProxy(target: string): FaultProxy {
  const proxy: FaultProxy = {
    url: "",
    faults: noFaults(),
    log: { insertAll: [] },
    reset() {
      proxy.faults = noFaults();
      proxy.log = { insertAll: [] };
    },
    stop: async () => {
      await server.stop(true);
    },
  };

  const forward = async (request: Request, url: URL, body: ArrayBuffer | undefined) => {
    const upstream = await fetch(`${target}${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      body,
    });
    const headers = new Headers(upstream.headers);
    // fetch already decoded the body; the length and encoding no longer describe it.
    headers.delete("content-encoding");
    headers.delete("content-length");
    return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers });
  };

  const insertAll = async (request: Request, url: URL): Promise<Response> => {
    const raw = await request.arrayBuffer();
    const parsed = JSON.parse(new TextDecoder().decode(raw)) as InsertAllBody;
    const rows = parsed.rows ?? [];
    const entry = { status: 0, bytes: raw.byteLength, insertIds: rows.map((row) => row.insertId ?? "") };
    proxy.log.insertAll.push(entry);
    const { faults } = proxy;
    const answer = (response: Response) => {
      entry.status = response.status;
      return response;
    };

    if (faults.unavailable > 0) {
      faults.unavailable -= 1;
      return answer(apiError(503, "backendError", "injected: service unavailable"));
    }
    if (faults.stalled > 0) {
      faults.stalled -= 1;
      await Bun.sleep(faults.stallMs);
      return answer(apiError(503, "backendError", "injected: stalled"));
    }
    if (raw.byteLength > faults.maxBodyBytes) {
      return answer(
        faults.tooLargeAs === 413
          ? apiError(413, "requestTooLarge", "Request Too Large")
          : apiError(400, "badRequest", `Request payload size exceeds the limit: ${faults.maxBodyBytes} bytes.`),
      );
    }
    if (faults.invalid) {
      const reasons = rows.map((row) => faults.invalid!(row.json));
      if (reasons.some((reason) => reason !== undefined)) {
        const insertErrors = reasons.map((reason, index) => ({
          index,
          errors: [reason ? { reason: "invalid", location: "", message: reason } : { reason: "stopped", location: "", message: "" }],
        }));
        return answer(json(200, { kind: "bigquery#tableDataInsertAllResponse", insertErrors }));
      }
    }
    return answer(await forward(request, url, raw));
  };

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    // Stalled requests must outlive Bun's default 10 s idle timeout only in theory; keep it generous.
    idleTimeout: 60,
    async fetch(request) {
      const url = new URL(request.url);
      if (request.method === "POST" && url.pathname.endsWith("/insertAll")) return insertAll(request, url);
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
      return forward(request, url, body);
    },
  });
  proxy.url = `http://127.0.0.1:${server.port}`;
  return proxy;
}
