import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { EcomEventEncoder } from "../../lib/events/avro/encoder.ts";
import { openCsv } from "../../lib/events/csv/reader.ts";
import { generateCsv } from "../../lib/events/generate/csv-rows.ts";
import { transcodeCsv } from "../../lib/events/transcode.ts";
import { validateRecords, type Rejection } from "../../lib/events/validate.ts";

const FIXTURES = join(import.meta.dir, "../fixtures/csv");
const tmp = mkdtempSync(join(tmpdir(), "transcode-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Collected {
  values: string[];
  keys: string[];
  lines: number[];
  rejections: Rejection[];
  records: number;
}

/** The reference: parse → validateRecords → EcomEventEncoder, message by message. */
async function viaGeneralPath(path: string, chunkBytes?: number): Promise<Collected> {
  const source = await openCsv(path, { chunkBytes });
  const encoder = new EcomEventEncoder(42);
  const out: Collected = { values: [], keys: [], lines: [], rejections: [], records: 0 };
  for await (const batch of source.batches()) {
    out.records += batch.fields.length + batch.errors.length;
    const v = validateRecords(batch, source.columns);
    const e = encoder.encodeBatch(v.events);
    for (let i = 0; i < e.count; i++) {
      out.values.push(Buffer.from(e.values.subarray(e.valueOffsets[i], e.valueOffsets[i + 1])).toString("hex"));
      out.keys.push(Buffer.from(e.keys.subarray(e.keyOffsets[i], e.keyOffsets[i + 1])).toString("utf8"));
    }
    out.lines.push(...v.lines);
    out.rejections.push(...v.rejections);
  }
  return out;
}

async function viaTranscoder(path: string, chunkBytes?: number): Promise<Collected> {
  const source = await openCsv(path, { chunkBytes });
  const out: Collected = { values: [], keys: [], lines: [], rejections: [], records: 0 };
  let lastBytes = 0;
  for await (const b of transcodeCsv(source, 42)) {
    out.records += b.records;
    expect(b.count + b.rejections.length).toBe(b.records);
    expect(b.bytesRead).toBeGreaterThanOrEqual(lastBytes);
    lastBytes = b.bytesRead;
    for (let i = 0; i < b.count; i++) {
      out.values.push(Buffer.from(b.values.subarray(b.valueOffsets[i], b.valueOffsets[i + 1])).toString("hex"));
      out.keys.push(Buffer.from(b.keys.subarray(b.keyOffsets[i], b.keyOffsets[i + 1])).toString("utf8"));
    }
    out.lines.push(...b.lines);
    out.rejections.push(...b.rejections);
  }
  if (out.records > 0) expect(lastBytes).toBe(source.totalBytes);
  return out;
}

function generated(rows: number, seed: number): string {
  return Buffer.concat([...generateCsv({ rows, seed })].map((c) => Buffer.from(c))).toString("utf8");
}

/** Generated rows with, every few lines, something the fast path must leave to the general one. */
function messy(rows: number): string {
  const lines = generated(rows, 7).split("\n");
  const edits: ((l: string) => string)[] = [
    (l) => l.replace(",view,", ', view ,'),
    (l) => l.replace(/,(\d+\.\d\d),/, ',"$1",'),
    (l) => l.replace(/,(\d+\.\d\d),/, ",1e2,"),
    (l) => l.replace(/,(\d+\.\d\d),/, ",-1,"),
    (l) => l.replace(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC/, "$1T$2Z"),
    (l) => l.replace(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC/, "$1 $2"),
    (l) => l.replace(/,([a-z]+),(\d)/, ",$1é,$2"),
    (l) => l.replace(/,(\d+\.\d\d),/, ',"multi\nline",'),
    (l) => l + ",extra",
    (l) => l.replace(/,[^,]*$/, ""),
    (l) => l.replace(",view,", ",click,"),
    (l) => "",
    (l) => l.replace(/,(\d+\.\d\d),/, ",1234567890123456,"),
    (l) => l.replace(/\n?$/, "\r"),
    (l) => "\ufeff" + l,
  ];
  for (let i = 1; i < lines.length - 1; i += 37) lines[i] = edits[(i * 7) % edits.length]!(lines[i]!);
  return lines.join("\n") + '2021-02-28 23:59:59 UTC,view,1,2,,,"1.00,3,4\n';
}

describe("transcodeCsv", () => {
  it("writes exactly what validateRecords + EcomEventEncoder write, on generated data", async () => {
    const path = join(tmp, "gen.csv");
    writeFileSync(path, generated(20_000, 3));
    const a = await viaGeneralPath(path);
    const b = await viaTranscoder(path);
    expect(b.records).toBe(20_000);
    expect(b.rejections).toEqual([]);
    expect(b.values).toEqual(a.values);
    expect(b.keys).toEqual(a.keys);
    expect(b.lines).toEqual(a.lines);
  });

  it("agrees with the general path on messy input, whatever the chunk size", async () => {
    const path = join(tmp, "messy.csv");
    writeFileSync(path, messy(3_000));
    const a = await viaGeneralPath(path);
    expect(a.rejections.length).toBeGreaterThan(10);
    for (const chunkBytes of [64 * 1024, 4096, 333]) {
      const b = await viaTranscoder(path, chunkBytes);
      expect(b.records).toBe(a.records);
      expect(b.rejections).toEqual(a.rejections);
      expect(b.lines).toEqual(a.lines);
      expect(b.values).toEqual(a.values);
      expect(b.keys).toEqual(a.keys);
    }
  });

  it("agrees on every fixture, plain and gzip", async () => {
    for (const name of ["valid.csv", "malformed.csv", "quoted.csv", "reordered.csv", "bom-crlf.csv", "header-only.csv"]) {
      const path = join(FIXTURES, name);
      const a = await viaGeneralPath(path);
      const b = await viaTranscoder(path, 50);
      expect(b).toEqual(a);
      const gz = join(tmp, `${name}.gz`);
      writeFileSync(gz, gzipSync(readFileSync(path)));
      expect(await viaTranscoder(gz, 50)).toEqual(a);
    }
  });

  it("counts every record: messages + rejections", async () => {
    const b = await viaTranscoder(join(FIXTURES, "malformed.csv"));
    expect(b.values.length).toBe(2);
    expect(b.rejections.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16]);
    expect(b.records).toBe(14);
  });
});
