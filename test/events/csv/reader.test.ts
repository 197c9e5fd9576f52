import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { CsvHeaderError } from "../../../lib/events/csv/header.ts";
import { openCsv, type CsvSource } from "../../../lib/events/csv/reader.ts";
import { CSV_COLUMNS } from "../../../lib/events/event.ts";

const FIXTURES = join(import.meta.dir, "../../fixtures/csv");
const fixture = (name: string) => join(FIXTURES, name);
const tmp = mkdtempSync(join(tmpdir(), "csv-reader-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function readAll(source: CsvSource) {
  const rows: string[][] = [];
  const lines: number[] = [];
  const errors: { line: number; reason: string; raw: string }[] = [];
  let bytesRead = 0;
  for await (const b of source.batches()) {
    rows.push(...b.fields);
    lines.push(...b.lines);
    errors.push(...b.errors);
    expect(b.bytesRead).toBeGreaterThanOrEqual(bytesRead);
    bytesRead = b.bytesRead;
  }
  return { rows, lines, errors, bytesRead };
}

describe("openCsv", () => {
  it("reads the header, then the rows with their physical lines", async () => {
    const source = await openCsv(fixture("valid.csv"));
    expect(source.columns.positions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(source.firstLine).toBe(2);
    const { rows, lines, bytesRead } = await readAll(source);
    expect(rows).toHaveLength(6);
    expect(lines).toEqual([2, 3, 4, 5, 6, 7]);
    expect(bytesRead).toBe(source.totalBytes);
  });

  it("maps columns given in another order by name", async () => {
    const source = await openCsv(fixture("reordered.csv"));
    expect(source.columns.names[source.columns.positions[0]!]).toBe("event_time");
    expect(source.columns.positions).toEqual(CSV_COLUMNS.map((c) => source.columns.names.indexOf(c)));
    await source.close();
  });

  it("drops a BOM and reads CRLF, with a quoted CRLF inside a field", async () => {
    const source = await openCsv(fixture("bom-crlf.csv"));
    expect(source.columns.names[0]).toBe("event_time");
    const { rows, lines } = await readAll(source);
    expect(rows).toHaveLength(3);
    expect(rows[1]![5]).toBe("a\r\nb");
    expect(lines).toEqual([2, 3, 5]);
  });

  it("reads gzip (told by magic bytes, whatever the name) like the plain file", async () => {
    const plain = await readAll(await openCsv(fixture("quoted.csv")));
    for (const name of ["quoted.csv.gz", "misnamed.csv"]) {
      const path = join(tmp, name);
      writeFileSync(path, gzipSync(readFileSync(fixture("quoted.csv"))));
      const source = await openCsv(path);
      expect(source.gzip).toBe(true);
      const zipped = await readAll(source);
      expect(zipped.rows).toEqual(plain.rows);
      expect(zipped.lines).toEqual(plain.lines);
      expect(zipped.bytesRead).toBe(source.totalBytes);
    }
  });

  it("reads a multi-member gzip file", async () => {
    const text = readFileSync(fixture("valid.csv"), "utf8");
    const cut = text.indexOf("\n", 200) + 1;
    const path = join(tmp, "members.csv.gz");
    writeFileSync(path, Buffer.concat([gzipSync(text.slice(0, cut)), gzipSync(text.slice(cut))]));
    const { rows } = await readAll(await openCsv(path));
    expect(rows).toHaveLength(6);
  });

  it("gives the same rows and lines with tiny chunks as with big ones", async () => {
    for (const name of ["quoted.csv", "malformed.csv", "bom-crlf.csv"]) {
      const big = await readAll(await openCsv(fixture(name)));
      const small = await readAll(await openCsv(fixture(name), { chunkBytes: 7 }));
      expect(small.rows).toEqual(big.rows);
      expect(small.lines).toEqual(big.lines);
      expect(small.errors).toEqual(big.errors);
    }
  });

  it("reports the unbalanced quote on the last line instead of crashing", async () => {
    const { errors, rows } = await readAll(await openCsv(fixture("malformed.csv")));
    expect(errors).toEqual([{ line: 16, reason: "unbalanced quote: a quoted field is never closed", raw: expect.any(String) }]);
    expect(rows).toHaveLength(13);
  });

  it("reads a header-only file as no rows", async () => {
    const { rows, errors } = await readAll(await openCsv(fixture("header-only.csv")));
    expect(rows).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("refuses an empty file, naming it", async () => {
    const err = await openCsv(fixture("empty.csv")).catch((e) => e);
    expect(err).toBeInstanceOf(CsvHeaderError);
    expect(err.message).toContain("empty.csv: the file is empty");
  });

  it("refuses a wrong header, naming the file, the missing and the unexpected columns", async () => {
    const err = await openCsv(fixture("wrong-header.csv")).catch((e) => e);
    expect(err).toBeInstanceOf(CsvHeaderError);
    expect(err.missing).toEqual(["category_id"]);
    expect(err.extra).toEqual(["category", "colour"]);
    expect(err.message).toContain("wrong-header.csv: bad header (missing column category_id; unexpected columns category, colour)");
  });

  it("refuses a file whose first line is data, not a header", async () => {
    const path = join(tmp, "no-header.csv");
    writeFileSync(path, readFileSync(fixture("valid.csv"), "utf8").split("\n").slice(1).join("\n"));
    const err = await openCsv(path).catch((e) => e);
    expect(err).toBeInstanceOf(CsvHeaderError);
    expect(err.missing).toEqual([...CSV_COLUMNS]);
  });

  it("fails with the path when the file does not exist", async () => {
    const err = await openCsv(join(tmp, "nope.csv")).catch((e) => e);
    expect(String(err.message)).toContain("nope.csv");
  });

  it("can be read only once", async () => {
    const source = await openCsv(fixture("valid.csv"));
    await readAll(source);
    await expect(source.blocks().next()).rejects.toThrow("read once");
  });
});
