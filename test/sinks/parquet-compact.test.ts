import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CompactionBusyError, compactLanding } from "../../lib/sinks/parquet-compact.ts";
import { ParquetSink } from "../../lib/sinks/parquet.ts";
import { countLanded, listFiles, readWithPython, tempWarehouse } from "./parquet-support.ts";
import { makeRows } from "./parquet-rows.ts";

/** The multiset of Kafka coordinates (with the landing time, so duplicates stay apart). */
const coordinates = (rows: unknown[][]) => rows.map((row) => `${row[0]}/${row[1]}@${row[11]}`).sort();

describe("compactLanding", () => {
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

  /** Several small batches over 3 dates and 3 partitions, plus a redelivered batch. */
  async function landSmallBatches(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await sink.write(makeRows({ count: 600, seed: 40 + i, firstOffset: i * 200, partitions: 3, days: 3, ingestedAt: 1_600_000_000_000_000 + i }));
    }
    await sink.write(makeRows({ count: 600, seed: 40, firstOffset: 0, partitions: 3, days: 3, ingestedAt: 1_600_000_000_000_000 + 99 }));
  }

  it("merges each date into one sorted file holding exactly the same rows", async () => {
    await landSmallBatches();
    const before = await readWithPython(warehouse.root);
    expect(before.files.length).toBe(6 * 3);

    const results = await compactLanding({ warehouseDir: warehouse.dir });
    expect(results.map((result) => [result.date, result.files])).toEqual([
      ["2020-09-24", 6],
      ["2020-09-25", 6],
      ["2020-09-26", 6],
    ]);

    const after = await readWithPython(warehouse.root);
    expect(after.count).toBe(before.count);
    // Same multiset of (partition, offset) — redelivered copies included — and same values.
    expect(coordinates(after.rows)).toEqual(coordinates(before.rows));
    expect(after.rows).toEqual(before.rows);
    expect(after.files.map((file) => file.name.replace(/-[0-9a-f]{8}\.parquet$/, ""))).toEqual(
      results.map((result) => `event_date=${result.date}/compacted-n${result.rows}`),
    );
    for (const file of after.files) {
      expect(file.sorted).toBe(true);
      expect(file.codecs).toEqual(["ZSTD"]);
    }
    expect(listFiles(warehouse.dir).filter((file) => !file.endsWith(".parquet"))).toEqual([]);
  });

  it("compacts only the dates asked for, and skips dates with too few files", async () => {
    await landSmallBatches();
    const results = await compactLanding({ warehouseDir: warehouse.dir, dates: ["2020-09-25"] });
    expect(results.map((result) => result.date)).toEqual(["2020-09-25"]);
    const again = await compactLanding({ warehouseDir: warehouse.dir });
    expect(again.find((result) => result.date === "2020-09-25")?.skipped).toBe("1 file");
    expect(again.filter((result) => result.output).map((result) => result.date)).toEqual(["2020-09-24", "2020-09-26"]);
  });

  it("changes nothing in a dry run", async () => {
    await landSmallBatches();
    const files = listFiles(warehouse.dir);
    const results = await compactLanding({ warehouseDir: warehouse.dir, dryRun: true });
    expect(results.every((result) => result.files === 6 && result.rows > 0 && result.output === undefined)).toBe(true);
    expect(listFiles(warehouse.dir)).toEqual(files);
  });

  it("leaves files that land during a compaction for the next run", async () => {
    await landSmallBatches();
    const compaction = compactLanding({ warehouseDir: warehouse.dir });
    const late = makeRows({ count: 90, seed: 77, firstOffset: 50_000, partitions: 3, days: 3 });
    await sink.write(late);
    await compaction;
    // Every row is there exactly once whether the late files were merged or left beside.
    expect(await countLanded(warehouse.root)).toBe(6 * 600 + 90);
  });

  it("refuses to run beside another live compaction, and takes over a dead one's lock", async () => {
    mkdirSync(warehouse.root, { recursive: true });
    await landSmallBatches();
    const lock = join(warehouse.root, ".compact.lock");
    writeFileSync(lock, String(process.pid));
    await expect(compactLanding({ warehouseDir: warehouse.dir })).rejects.toBeInstanceOf(CompactionBusyError);
    // A pid that cannot exist (above Linux's pid_max) stands for a compaction that died.
    writeFileSync(lock, "4194305");
    const results = await compactLanding({ warehouseDir: warehouse.dir });
    expect(results.filter((result) => result.output)).toHaveLength(3);
    expect(listFiles(warehouse.root).filter((file) => file.includes("lock"))).toEqual([]);
  });

  it("does nothing when nothing has landed", async () => {
    expect(await compactLanding({ warehouseDir: join(warehouse.dir, "empty") })).toEqual([]);
  });
});
