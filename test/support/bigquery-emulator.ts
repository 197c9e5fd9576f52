import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulatorCompatProxy } from "../../lib/bigquery/emulator-compat.ts";
import { EVENT_TYPES } from "../../lib/events/event.ts";
import { paths } from "../../lib/paths.ts";
import type { RawRow } from "../../lib/sinks/sink.ts";

/** A running goccy/bigquery-emulator: its REST base URL (BIGQUERY_API_ENDPOINT) and how to stop it. */
export interface BigQueryEmulator {
  /** What clients use: the emulator-compat proxy's URL (as with `just up bigquery`), or the emulator's. */
  endpoint: string;
  /** The emulator itself, without the proxy. */
  emulatorEndpoint: string;
  projectId: string;
  pid: number;
  stop(): Promise<void>;
}

export interface BigQueryEmulatorOptions {
  /**
   * Put lib/bigquery/emulator-compat.ts in front, as `just up bigquery` does (default true).
   * dbt-bigquery needs it; the other clients work with or without it.
   */
  compat?: boolean;
}

const READY_TIMEOUT_MS = 15_000;

/**
 * Starts a fresh in-memory emulator on free loopback ports, waits until it answers
 * `GET /bigquery/v2/projects/<p>/datasets`, and (unless `compat: false`) serves the
 * emulator-compat proxy in front of it from this process. One per test suite: the emulator's
 * memory grows with every query (upstream issue), and a fresh one also means no state leaks
 * between suites.
 * Throws — never skips — when the binary is missing or the emulator does not come up, quoting its log.
 */
export async function startBigQueryEmulator(
  projectId = "test-project",
  { compat = true }: BigQueryEmulatorOptions = {},
): Promise<BigQueryEmulator> {
  const binary = paths.bigqueryEmulator;
  if (!existsSync(binary)) {
    throw new Error(`bigquery-emulator not found at ${binary}: run \`just setup\` (it builds goccy/bigquery-emulator v0.8.1)`);
  }
  let lastError: unknown;
  // A port found free can be taken before the emulator binds it; try again on new ports.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const emulator = await launch(binary, projectId);
      if (!compat) return emulator;
      let proxy: ReturnType<typeof startEmulatorCompatProxy>;
      try {
        proxy = startEmulatorCompatProxy({ upstream: emulator.endpoint });
      } catch (error) {
        await emulator.stop();
        throw error;
      }
      const stopEmulator = emulator.stop;
      return {
        ...emulator,
        endpoint: proxy.url,
        stop: async () => {
          await proxy.stop();
          await stopEmulator();
        },
      };
    } catch (error) {
      lastError = error;
      if (!/address already in use/i.test(String(error))) break;
    }
  }
  throw lastError;
}

async function launch(binary: string, projectId: string): Promise<BigQueryEmulator> {
  const [port, grpcPort] = freePorts(2);
  const dir = mkdtempSync(join(tmpdir(), "bq-emulator-"));
  const log = join(dir, "emulator.log");
  const fd = openSync(log, "a");
  const proc = Bun.spawn(
    [binary, `--project=${projectId}`, "--host=127.0.0.1", `--port=${port}`, `--grpc-port=${grpcPort}`, "--log-level=warn"],
    { stdin: "ignore", stdout: fd, stderr: fd },
  );
  closeSync(fd);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill("SIGTERM");
      const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(3000).then(() => false)]);
      if (!exited) proc.kill("SIGKILL");
      await proc.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const logTail = () => (existsSync(log) ? readFileSync(log, "utf8").trimEnd().split("\n").slice(-10).join("\n    ") : "");

  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (proc.exitCode !== null) {
      const tail = logTail();
      await stop();
      throw new Error(`bigquery-emulator exited with ${proc.exitCode} before answering:\n    ${tail}`);
    }
    try {
      const response = await fetch(`${endpoint}/bigquery/v2/projects/${projectId}/datasets`, {
        signal: AbortSignal.timeout(1000),
      });
      if (response.ok) return { endpoint, emulatorEndpoint: endpoint, projectId, pid: proc.pid, stop };
    } catch {
      // Not listening yet.
    }
    await Bun.sleep(50);
  }
  const tail = logTail();
  await stop();
  throw new Error(`bigquery-emulator did not answer on ${endpoint} within ${READY_TIMEOUT_MS} ms:\n    ${tail}`);
}

/** Loopback ports nothing listens on right now (bound to port 0, then released). */
export function freePorts(count: number): number[] {
  const listeners = Array.from({ length: count }, () =>
    Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } }),
  );
  const ports = listeners.map((listener) => listener.port);
  for (const listener of listeners) listener.stop(true);
  return ports;
}

/**
 * Runs a GoogleSQL query through the REST `jobs.query` call and returns rows as raw strings (or
 * null) keyed by column — exactly what the API sent, so tests see precision and NULLs unaltered.
 */
export async function queryEmulator(
  emulator: Pick<BigQueryEmulator, "endpoint" | "projectId">,
  sql: string,
): Promise<Record<string, string | null>[]> {
  const response = await fetch(`${emulator.endpoint}/bigquery/v2/projects/${emulator.projectId}/queries`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query: sql, useLegacySql: false }),
  });
  const body = (await response.json()) as {
    error?: { message: string };
    schema?: { fields: { name: string }[] };
    rows?: { f: { v: string | null }[] }[];
  };
  if (!response.ok || body.error) throw new Error(`query failed (${response.status}): ${body.error?.message}\n${sql}`);
  const names = body.schema?.fields.map((field) => field.name) ?? [];
  return (body.rows ?? []).map((row) => Object.fromEntries(row.f.map((cell, i) => [names[i]!, cell.v])));
}

/** 2020-09-24 11:57:06.123456 UTC, the first sample row's event_time. */
export const SAMPLE_START_MICROS = 1_600_948_626_123_456;
/** An id above 2^53 (a category id from the reference data): it must survive as a string. */
export const LARGE_ID = "2144415922528452715";

/**
 * `count` raw rows at offsets `firstOffset…` of `partition`, shaped like the reference data: ids
 * above 2^53, NULLs in every nullable column at different rates, event times with all six
 * fractional digits in use (each row 1.000001 s after the previous one).
 */
export function sampleRows(count: number, { firstOffset = 0, partition = 0 } = {}): RawRow[] {
  const ingestedAt = Date.now() * 1000;
  return Array.from({ length: count }, (_, i) => {
    const offset = firstOffset + i;
    return {
      event_time: SAMPLE_START_MICROS + offset * 1_000_001,
      event_type: EVENT_TYPES[offset % EVENT_TYPES.length]!,
      product_id: String(1_996_170 + (offset % 97)),
      category_id: offset % 3 === 0 ? null : LARGE_ID,
      category_code: offset % 4 === 0 ? null : "electronics.telephone",
      brand: offset % 5 === 0 ? null : "shiseido",
      price: offset % 7 === 0 ? null : 31.9 + (offset % 10),
      user_id: String(1_515_915_625_519_388_267n + BigInt(offset)),
      user_session: offset % 11 === 0 ? null : `session-${Math.floor(offset / 20)}`,
      _kafka_partition: partition,
      _kafka_offset: offset,
      _ingested_at: ingestedAt,
    };
  });
}
