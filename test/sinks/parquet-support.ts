/**
 * Helpers for the Parquet sink tests: a temp warehouse per test, the independent Python reader
 * (test/sinks/parquet_reader.py on the venv's duckdb + pyarrow), and a walk of the landing tree.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { paths } from "../../lib/paths.ts";
import type { RawRow } from "../../lib/sinks/sink.ts";

/** A fresh warehouse folder under the OS temp dir; `remove()` deletes it. */
export function tempWarehouse(): { dir: string; root: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "parquet-sink-"));
  return { dir, root: join(dir, "raw", "kafka_ecom_events"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every file under `dir`, relative to it, sorted. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/** Rows in the complete landing files under `root`, read in-process (quicker than Python). */
export async function countLanded(root: string): Promise<number> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const result = await connection.runAndReadAll(`select count(*) from read_parquet('${root}/event_date=*/*.parquet')`);
    return Number(result.getRows()[0]![0]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const READER = join(import.meta.dir, "parquet_reader.py");

function python(): string {
  if (!existsSync(paths.python)) {
    throw new Error(`the venv's python is missing at ${paths.python}: run \`just setup\` (step "python venv")`);
  }
  return paths.python;
}

/** What the Python reader reports about a landing folder (see parquet_reader.py). */
export interface ReaderSummary {
  count: number;
  distinct_coordinates: number;
  columns: Record<string, string>;
  nulls: Record<string, number>;
  /** [partition, offset, event_time µs, 9 strings/price…, _ingested_at µs, event_date] by coordinates. */
  rows: unknown[][];
  files: {
    name: string;
    rows: number;
    codecs: string[];
    sorted: boolean;
    arrow_schema: string[];
    event_time_tz: string | null;
    event_time_unit: string;
    min_event_date: string | null;
    max_event_date: string | null;
  }[];
}

/** Runs the Python reader's summary over a landing root. */
export async function readWithPython(root: string): Promise<ReaderSummary> {
  const proc = Bun.spawn([python(), READER, "summary", root], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`parquet_reader.py summary failed (exit ${code}):\n${err}`);
  return JSON.parse(out) as ReaderSummary;
}

/**
 * Starts the Python reader polling a landing root; resolves once it is reading (its imports
 * take a while on a busy machine). `stop()` resolves to its findings.
 */
export async function pollWithPython(
  root: string,
): Promise<{ stop(): Promise<{ scans: number; errors: string[]; counts: number[] }> }> {
  const stopFile = join(tmpdir(), `parquet-poll-stop-${process.pid}-${Date.now()}`);
  const proc = Bun.spawn([python(), READER, "poll", root, stopFile], { stdout: "pipe", stderr: "pipe" });
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let out = "";
  while (!out.includes("ready\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`parquet_reader.py poll exited before it was ready:\n${await new Response(proc.stderr).text()}`);
    out += decoder.decode(value, { stream: true });
  }
  return {
    async stop() {
      await Bun.write(stopFile, "");
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) out += decoder.decode(chunk.value, { stream: true });
      const [err, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
      rmSync(stopFile, { force: true });
      if (code !== 0) throw new Error(`parquet_reader.py poll failed (exit ${code}):\n${err}`);
      return JSON.parse(out.slice(out.indexOf("ready\n") + "ready\n".length));
    },
  };
}

/** A row as the Python reader lists it, for exact comparison with what was written. */
export function expectedRow(row: RawRow): unknown[] {
  return [
    row._kafka_partition,
    row._kafka_offset,
    row.event_time,
    row.event_type,
    row.product_id,
    row.category_id,
    row.category_code,
    row.brand,
    row.price,
    row.user_id,
    row.user_session,
    row._ingested_at,
    new Date(Math.floor(row.event_time / 1000)).toISOString().slice(0, 10),
  ];
}

/** Orders expected rows like the reader does: by partition, offset, then _ingested_at. */
export const byCoordinates = (a: unknown[], b: unknown[]) =>
  (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number) || (a[11] as number) - (b[11] as number);
