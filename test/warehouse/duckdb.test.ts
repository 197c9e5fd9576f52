import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDuckDbWarehouse } from "../../lib/warehouse/duckdb.ts";
import { dbtDatabasePath } from "../../lib/warehouse/landing.ts";
import { NoDataError, QueryError } from "../../lib/warehouse/warehouse.ts";
import { fakeDbtDatabase, land } from "./warehouse-support.ts";

/** Runs a child process that holds dbt's database open for writing, like a running dbt. */
async function holdWriteLock(path: string): Promise<{ release(): Promise<void> }> {
  const code = `
    const { DuckDBInstance } = require("@duckdb/node-api");
    const instance = await DuckDBInstance.create(${JSON.stringify(path)});
    await (await instance.connect()).run("create or replace table main.lock_probe as select 1");
    console.log("locked");
    for await (const _ of Bun.stdin.stream()) {}`;
  const child = Bun.spawn([process.execPath, "-e", code], { stdin: "pipe", stdout: "pipe", stderr: "inherit", cwd: import.meta.dir });
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  if (!new TextDecoder().decode(value).includes("locked")) throw new Error("the lock-holding child did not start");
  return {
    async release() {
      child.stdin.end();
      await child.exited;
    },
  };
}

describe("openDuckDbWarehouse", () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "warehouse-duckdb-"));
    await land(dir, 1000);
    await fakeDbtDatabase(dir);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("serves kafka_ecom_events as a view over the landing files, with event_date from the folders", async () => {
    const warehouse = await openDuckDbWarehouse({ warehouseDir: dir });
    const result = await warehouse.query(
      "select count(*) as n, count(distinct event_date) as dates, any_value(typeof(event_date)) as date_type from kafka_ecom_events",
    );
    expect(result.columns.map((column) => [column.name, column.type, column.numeric])).toEqual([
      ["n", "BIGINT", true],
      ["dates", "BIGINT", true],
      ["date_type", "VARCHAR", false],
    ]);
    expect(result.rows).toEqual([[1000n, 2n, "DATE"]]);
    expect(warehouse.notices).toEqual([]);
    await warehouse.close();
  });

  it("makes dbt's models addressable as main.<model> and <model>, beside the raw view", async () => {
    const warehouse = await openDuckDbWarehouse({ warehouseDir: dir });
    expect((await warehouse.query("select events from main.fct_daily_kpis")).rows).toEqual([[42]]);
    expect((await warehouse.query("select doubled from stg_view")).rows).toEqual([[84]]);
    const joined = await warehouse.query(
      "select k.events, count(*) > 0 from fct_daily_kpis k join kafka_ecom_events e on e.event_date = k.event_date group by all",
    );
    expect(joined.rows).toEqual([[42, true]]);
    await warehouse.close();
  });

  it("still serves the raw view, and says why, while dbt holds its database", async () => {
    const lock = await holdWriteLock(dbtDatabasePath(dir));
    try {
      const warehouse = await openDuckDbWarehouse({ warehouseDir: dir });
      expect(warehouse.notices).toEqual([expect.stringMatching(/ecom\.duckdb is locked by a running dbt \(pid \d+.*the raw view kafka_ecom_events still works/)]);
      expect((await warehouse.query("select count(*) from kafka_ecom_events")).rows).toEqual([[1000n]]);
      await expect(warehouse.query("select * from main.fct_daily_kpis")).rejects.toBeInstanceOf(QueryError);
      await warehouse.close();
    } finally {
      await lock.release();
    }
  });

  it("says no data landed yet, and sees files that land after it opened", async () => {
    const empty = mkdtempSync(join(tmpdir(), "warehouse-empty-"));
    try {
      const warehouse = await openDuckDbWarehouse({ warehouseDir: empty });
      expect(warehouse.notices).toEqual([expect.stringContaining("no data landed yet: run just consume")]);
      const error = await warehouse.query("select count(*) from kafka_ecom_events").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NoDataError);
      expect((error as Error).message).toContain("no data landed yet: run just consume");
      expect((await warehouse.query("select 1 as one")).rows).toEqual([[1]]);
      await land(empty, 10);
      expect((await warehouse.query("select count(*) from kafka_ecom_events")).rows).toEqual([[10n]]);
      await warehouse.close();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("reads at most maxRows rows and counts the rest", async () => {
    const warehouse = await openDuckDbWarehouse({ warehouseDir: dir });
    const result = await warehouse.query("select _kafka_offset from kafka_ecom_events order by 1", { maxRows: 3 });
    expect(result.rows).toHaveLength(3);
    expect(result.totalRows).toBe(1000);
    expect(result.elapsedMs).toBeGreaterThan(0);
    await warehouse.close();
  });

  it("runs several statements and returns the last one's rows", async () => {
    const warehouse = await openDuckDbWarehouse({ warehouseDir: dir });
    const result = await warehouse.query("create temp table t as select 7 as x; insert into t values (8); select sum(x) as s from t");
    expect(result.rows).toEqual([[15n]]);
    await warehouse.close();
  });

  it("turns DuckDB values into plain cells", async () => {
    const warehouse = await openDuckDbWarehouse({ warehouseDir: dir });
    const result = await warehouse.query(`select
        9007199254740993::bigint as big, 170141183460469231731687303715884105727::hugeint as huge,
        12.34::decimal(4, 2) as small_decimal, 123456789012345678.9::decimal(19, 1) as wide_decimal,
        timestamp '2020-09-24 11:57:06.5' as ts, date '2020-09-24' as d, [1, 2] as list,
        true as flag, null::varchar as nothing, 1.5::double as x`);
    expect(result.rows).toEqual([
      [9007199254740993n, 170141183460469231731687303715884105727n, 12.34, "123456789012345678.9", "2020-09-24 11:57:06.5", "2020-09-24", "[1, 2]", true, null, 1.5],
    ]);
    expect(result.columns.filter((column) => column.numeric).map((column) => column.name)).toEqual([
      "big",
      "huge",
      "small_decimal",
      "wide_decimal",
      "x",
    ]);
    await warehouse.close();
  });

  it("reports DuckDB's own error as a QueryError", async () => {
    const warehouse = await openDuckDbWarehouse({ warehouseDir: dir });
    await expect(warehouse.query("select * from no_such_table")).rejects.toThrow(/duckdb: Catalog Error: Table with name no_such_table does not exist/);
    await warehouse.close();
  });
});
