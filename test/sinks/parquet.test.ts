import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ParquetSink, ParquetSinkError } from "../../lib/sinks/parquet.ts";
import type { RawRow } from "../../lib/sinks/sink.ts";
import { byCoordinates, countLanded, expectedRow, listFiles, pollWithPython, readWithPython, tempWarehouse } from "./parquet-support.ts";
import { makeRows } from "./parquet-rows.ts";

const micros = (iso: string) => Date.parse(iso) * 1000;

/** Rows that stress exactness: NULLs, control characters, unicode, boundaries of dates and doubles. */
function edgeRows(firstOffset: number): RawRow[] {
  const base = makeRows({ count: 12, seed: 7, firstOffset, partitions: 1, ingestedAt: micros("2024-01-02T03:04:05.678Z") + 9 });
  const edits: Partial<RawRow>[] = [
    { event_time: micros("2020-09-24T23:59:59.999Z") + 999, category_code: null, brand: null, price: null, user_session: null },
    { event_time: micros("2020-09-25T00:00:00Z"), brand: "\u001e", category_code: "a\u001fb\u001f" },
    { event_time: -1, brand: "", category_code: "" },
    { event_time: Number.MAX_SAFE_INTEGER, price: 1.7976931348623157e308 },
    { event_time: -Number.MAX_SAFE_INTEGER, price: 5e-324 },
    { brand: "Ünïcødé 品牌 🚀", category_code: 'comma, "quote"\nnewline\ttab' },
    { price: 0.1 + 0.2, product_id: "18446744073709551615" },
    { category_id: "2053013555631882655", user_id: "9223372036854775807" },
    { event_type: "view", product_id: "1", category_code: null },
    { event_type: "view", product_id: "1", category_code: "a" },
    { price: -0 },
    { user_session: "\u0000nul inside\u0000" },
  ];
  return base.map((row, i) => ({ ...row, ...edits[i] }));
}

describe("ParquetSink", () => {
  let warehouse: ReturnType<typeof tempWarehouse>;
  let sink: ParquetSink;

  beforeEach(async () => {
    warehouse = tempWarehouse();
    sink = new ParquetSink({ warehouseDir: warehouse.dir });
    await sink.open();
  });

  afterEach(async () => {
    await sink.close();
    warehouse.remove();
  });

  it("writes every value exactly, as an independent reader sees it", async () => {
    const rows = [...makeRows({ count: 3000, seed: 3, partitions: 3, days: 3 }), ...edgeRows(10_000)];
    const result = await sink.write(rows);
    expect(result).toEqual({ written: rows.length, rejected: [] });

    const summary = await readWithPython(warehouse.root);
    expect(summary.count).toBe(rows.length);
    expect(summary.distinct_coordinates).toBe(rows.length);
    expect(summary.rows).toEqual(rows.map(expectedRow).sort(byCoordinates));
    // ids beyond 2^53 come back as the same strings
    expect(summary.rows.some((row) => row[9] === "9223372036854775807")).toBe(true);
    const nulls = (field: keyof RawRow) => rows.filter((row) => row[field] === null).length;
    expect(summary.nulls).toMatchObject({
      category_id: nulls("category_id"),
      category_code: nulls("category_code"),
      brand: nulls("brand"),
      price: nulls("price"),
      user_session: nulls("user_session"),
      event_time: 0,
      event_type: 0,
    });
  });

  it("writes files large enough to be encoded in two slices exactly, on the fast and the slow path", async () => {
    const fast = makeRows({ count: 52_000, seed: 11, partitions: 1, days: 1, firstDay: "2020-10-01" });
    const slow = makeRows({ count: 52_000, seed: 12, partitions: 1, days: 1, firstDay: "2020-10-02", firstOffset: 100_000 });
    slow[777]!.brand = "sep\u001finside";
    const rows = [...fast, ...slow];
    expect((await sink.write(rows)).written).toBe(rows.length);
    const summary = await readWithPython(warehouse.root);
    expect(summary.files).toHaveLength(2);
    expect(summary.files.every((file) => file.sorted)).toBe(true);
    expect(summary.rows).toEqual(rows.map(expectedRow).sort(byCoordinates));
  });

  it("lands the contract's columns and types, zstd-compressed, naive UTC timestamps", async () => {
    await sink.write(makeRows({ count: 500, seed: 4 }));
    const summary = await readWithPython(warehouse.root);
    expect(summary.columns).toEqual({
      event_time: "TIMESTAMP",
      event_type: "VARCHAR",
      product_id: "VARCHAR",
      category_id: "VARCHAR",
      category_code: "VARCHAR",
      brand: "VARCHAR",
      price: "DOUBLE",
      user_id: "VARCHAR",
      user_session: "VARCHAR",
      _kafka_partition: "INTEGER",
      _kafka_offset: "BIGINT",
      _ingested_at: "TIMESTAMP",
      event_date: "DATE",
    });
    for (const file of summary.files) {
      expect(file.codecs).toEqual(["ZSTD"]);
      expect(file.event_time_tz).toBeNull();
      expect(file.event_time_unit).toBe("us");
      // event_date is the folder, not a column of the file
      expect(file.arrow_schema.map((field) => field.split(":")[0])).not.toContain("event_date");
    }
  });

  it("partitions by the UTC date of event_time, one file per date named after each partition's offsets", async () => {
    const rows = [...makeRows({ count: 1200, seed: 5, partitions: 6, days: 3 }), ...edgeRows(5000)];
    await sink.write(rows);
    // The name each file should have: date folder, then first-last offset of each partition.
    const expected = new Map<string, Map<number, [number, number]>>();
    for (const row of rows) {
      const key = `event_date=${expectedRow(row)[12]}`;
      const ranges = expected.get(key) ?? new Map<number, [number, number]>();
      expected.set(key, ranges);
      const [first, last] = ranges.get(row._kafka_partition) ?? [row._kafka_offset, row._kafka_offset];
      ranges.set(row._kafka_partition, [Math.min(first, row._kafka_offset), Math.max(last, row._kafka_offset)]);
    }
    const expectedNames = [...expected.entries()].map(
      ([key, ranges]) =>
        `${key}/${[...ranges.entries()]
          .sort(([a], [b]) => a - b)
          .map(([p, [first, last]]) => `p${p}-o${first}-${last}`)
          .join("_")}`,
    );
    const summary = await readWithPython(warehouse.root);
    expect(summary.files.map((file) => file.name.replace(/-[0-9a-f]{8}\.parquet$/, "")).sort()).toEqual(expectedNames.sort());
    for (const file of summary.files) {
      expect(file.name).toMatch(/^event_date=\d{4}-\d{2}-\d{2}\/(p\d+-o\d+-\d+_?)+-[0-9a-f]{8}\.parquet$/);
      expect(file.min_event_date).toBe(file.name.slice("event_date=".length, "event_date=".length + 10));
      expect(file.max_event_date).toBe(file.min_event_date);
    }
    // One microsecond before the epoch, and the extremes of the accepted range.
    expect(listFiles(warehouse.root)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^event_date=1969-12-31\//),
        expect.stringMatching(/^event_date=2255-06-05\//),
        expect.stringMatching(/^event_date=1684-07-28\//),
      ]),
    );
  });

  it("names files after the offsets they hold, so a redelivered range shows as a second file", async () => {
    const rows = makeRows({ count: 300, seed: 6, partitions: 1, firstOffset: 1200, days: 1 });
    await sink.write(rows);
    await sink.write(rows);
    const files = listFiles(warehouse.root);
    expect(files).toHaveLength(2);
    for (const file of files) expect(file).toMatch(/^event_date=2020-09-24\/p0-o1200-1499-[0-9a-f]{8}\.parquet$/);
    expect(files[0]).not.toBe(files[1]);
  });

  it("sorts the rows of every file by event_type, product_id, category_code", async () => {
    await sink.write([...makeRows({ count: 2000, seed: 8, partitions: 2, days: 2 }), ...edgeRows(9000)]);
    const summary = await readWithPython(warehouse.root);
    expect(summary.files.length).toBeGreaterThan(1);
    for (const file of summary.files) expect({ file: file.name, sorted: file.sorted }).toEqual({ file: file.name, sorted: true });

    // The same check with DuckDB's own ordering (NULLS LAST, byte order), via @duckdb/node-api.
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const misplaced = await connection.runAndReadAll(
      `select count(*) from (
         select file_row_number,
                row_number() over (partition by filename order by event_type, product_id, category_code, file_row_number) - 1 as rank
         from read_parquet('${warehouse.root}/*/*.parquet', filename = true, file_row_number = true))
       where rank <> file_row_number`,
    );
    expect(Number(misplaced.getRows()[0]![0])).toBe(0);
    connection.closeSync();
    instance.closeSync();
  });

  it("returns rows it cannot write as rejected, with the reason, and writes the others", async () => {
    const rows = makeRows({ count: 10, seed: 9, partitions: 1 });
    const bad: Partial<RawRow>[] = [
      { event_time: 1e300 },
      { event_time: 1.5 },
      { event_time: Number.NaN },
      { price: Number.POSITIVE_INFINITY },
      { _kafka_partition: -1 },
      { brand: 42 as unknown as string },
    ];
    bad.forEach((edit, i) => Object.assign(rows[i]!, edit));
    const result = await sink.write(rows);
    expect(result.written).toBe(4);
    expect(result.rejected.map((rejection) => rejection.row)).toEqual(rows.slice(0, 6));
    expect(result.rejected.map((rejection) => rejection.reason)).toEqual([
      expect.stringContaining("event_time 1e+300 is not a whole number of microseconds"),
      expect.stringContaining("event_time 1.5 is not a whole number"),
      expect.stringContaining("event_time NaN"),
      "price must be a finite number or null, got Infinity",
      expect.stringContaining("_kafka_partition -1"),
      "brand must be a string or null, got number",
    ]);
    expect(await countLanded(warehouse.root)).toBe(4);
  });

  it("writes nothing and reports everything rejected when no row is valid", async () => {
    const rows = makeRows({ count: 3, seed: 10 }).map((row) => ({ ...row, event_time: Number.NaN }));
    const result = await sink.write(rows);
    expect(result.written).toBe(0);
    expect(result.rejected).toHaveLength(3);
    expect(listFiles(warehouse.dir).filter((file) => file.endsWith(".parquet"))).toEqual([]);
    expect(await sink.write([])).toEqual({ written: 0, rejected: [] });
  });

  it("leaves no temp file behind", async () => {
    for (let i = 0; i < 3; i++) await sink.write(makeRows({ count: 400, seed: 20 + i, firstOffset: i * 400 }));
    const files = listFiles(warehouse.dir);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => !file.endsWith(".parquet"))).toEqual([]);
  });

  it("never shows a partial file to a reader polling while batches land", async () => {
    await sink.write(makeRows({ count: 100, seed: 30, partitions: 1 }));
    const poller = await pollWithPython(warehouse.root);
    // Land batches for at least a second while the reader reads in a loop.
    let total = 100;
    const until = performance.now() + 1000;
    for (let i = 1; i <= 10 || performance.now() < until; i++) {
      await sink.write(makeRows({ count: 4000, seed: 30 + i, firstOffset: i * 4000, partitions: 2 }));
      total += 4000;
    }
    const { scans, errors, counts } = await poller.stop();
    expect(errors).toEqual([]);
    expect(scans).toBeGreaterThan(5);
    // Files only ever appear whole: every count is a sum of whole batches' files, and never drops.
    expect(counts.every((count, i) => i === 0 || count >= counts[i - 1]!)).toBe(true);
    expect(counts.at(-1)).toBe(total);
  });

  it("queues concurrent writes and lands all of them", async () => {
    const batches = [0, 1, 2].map((i) => makeRows({ count: 300, seed: 50 + i, firstOffset: i * 1000, partitions: 1, days: 1 }));
    const results = await Promise.all(batches.map((rows) => sink.write(rows)));
    expect(results.map((result) => result.written)).toEqual([300, 300, 300]);
    expect(await countLanded(warehouse.root)).toBe(900);
  });

  it("throws a ParquetSinkError naming the path when a file cannot be written, and leaves no temp file", async () => {
    // A plain file where the date folder should be: mkdir fails whoever runs the test (even root).
    mkdirSync(warehouse.root, { recursive: true });
    writeFileSync(join(warehouse.root, "event_date=2020-09-24"), "not a folder");
    const rows = makeRows({ count: 50, seed: 60, partitions: 1, days: 2 });
    const error = await sink.write(rows).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParquetSinkError);
    expect((error as ParquetSinkError).path).toBe(join(warehouse.root, "event_date=2020-09-24"));
    expect((error as Error).message).toContain("cannot create the partition folder");
    expect(listFiles(warehouse.root).filter((file) => file.includes(".tmp"))).toEqual([]);
    // The sink stays usable.
    expect((await sink.write(makeRows({ count: 5, seed: 61, days: 1, firstDay: "2021-01-01" }))).written).toBe(5);
  });

  it("spreads a date over several files only when the offset ranges would make too long a name", async () => {
    const rows = makeRows({ count: 40, seed: 62, partitions: 20, days: 1, firstOffset: 123_456_789_012 });
    await sink.write(rows);
    const names = listFiles(warehouse.root).map((file) => file.split("/")[1]!);
    expect(names.length).toBe(4); // ~31-byte ranges, at most 200 bytes of them per name
    for (const name of names) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200 + 17);
    const partitions = names.flatMap((name) => [...name.matchAll(/p(\d+)-o/g)].map((match) => Number(match[1])));
    expect(partitions.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await countLanded(warehouse.root)).toBe(40);
  });

  it("refuses to write before open() and after close()", async () => {
    const closed = new ParquetSink({ warehouseDir: warehouse.dir });
    await expect(closed.write(makeRows({ count: 1 }))).rejects.toThrow("before open()");
  });
});
