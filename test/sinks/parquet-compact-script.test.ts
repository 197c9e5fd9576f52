import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../../lib/paths.ts";
import { ParquetSink } from "../../lib/sinks/parquet.ts";
import { countLanded, listFiles, tempWarehouse } from "./parquet-support.ts";
import { makeRows } from "./parquet-rows.ts";

const SCRIPT = join(paths.root, "scripts", "compact.ts");

/** Runs `scripts/compact.ts` (what `just compact` runs) on a warehouse folder. */
async function compact(args: string[], warehouseDir: string) {
  const child = Bun.spawn([process.execPath, SCRIPT, ...args], {
    env: { ...process.env, WAREHOUSE_DIR: warehouseDir },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

describe("just compact", () => {
  let warehouse: ReturnType<typeof tempWarehouse>;

  beforeAll(async () => {
    warehouse = tempWarehouse();
    const sink = new ParquetSink({ warehouseDir: warehouse.dir });
    await sink.open();
    for (let i = 0; i < 3; i++) await sink.write(makeRows({ count: 200, seed: 90 + i, firstOffset: i * 100, partitions: 2, days: 2 }));
    await sink.close();
  });

  afterAll(() => warehouse.remove());

  it("shows what it would merge in a dry run, touching nothing", async () => {
    const before = listFiles(warehouse.dir);
    const { stdout, code } = await compact(["--dry-run"], warehouse.dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^2020-09-24 {2}would merge 3 files, [\d,]+ rows\n2020-09-25 {2}would merge 3 files, [\d,]+ rows\n$/);
    expect(listFiles(warehouse.dir)).toEqual(before);
  });

  it("exits 3 while another compaction holds the lock", async () => {
    const lock = join(warehouse.root, ".compact.lock");
    writeFileSync(lock, String(process.pid));
    try {
      const { stderr, code } = await compact([], warehouse.dir);
      expect(code).toBe(3);
      expect(stderr).toContain(`another compaction (pid ${process.pid}) is running`);
    } finally {
      writeFileSync(lock, "4194305"); // a dead pid: the next run takes the lock over
    }
  });

  it("merges each date and says where the rows went", async () => {
    const { stdout, stderr, code } = await compact([], warehouse.dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/2020-09-24 {2}merged 3 files, [\d,]+ rows → .*event_date=2020-09-24\/compacted-n\d+-[0-9a-f]{8}\.parquet\n/);
    expect(stderr).toMatch(/compact: 2 date\(s\) compacted in [\d.]+ s/);
    expect(listFiles(warehouse.root)).toHaveLength(2);
    expect(await countLanded(warehouse.root)).toBe(600);
    expect((await compact(["-d", "2020-09-24"], warehouse.dir)).stdout).toBe("2020-09-24  skipped (1 file)\n");
  });

  it("exits 2 on bad usage, 0 on --help", async () => {
    expect((await compact(["--date", "yesterday"], warehouse.dir)).code).toBe(2);
    expect((await compact(["--min-files", "0"], warehouse.dir)).code).toBe(2);
    const help = await compact(["--help"], warehouse.dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: just compact");
  });
});
