#!/usr/bin/env bun
/**
 * Benchmark of the dbt project on the local target: wall time of `dbt build` on a synthetic
 * landing set shaped like the reference dataset (885,129 events over 2020-09-24..2021-02-28,
 * ~90/6/4 % view/cart/purchase, 53,453 products), then of an incremental build after one more
 * small landing, then of a build with nothing new. Not a test (bun test only runs *.test.ts):
 *
 *   bun test/dbt/build.bench.ts [--rows 885129] [--days 158] [--new-rows 2000] [--keep]
 *
 * Works in a temp WAREHOUSE_DIR, removed afterwards unless --keep.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { assertSucceeded, runDbt } from "./support/dbt.ts";
import { writeEventBatch } from "./support/landing.ts";
import { scalar, withDuckDB } from "./support/warehouse.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "885129" },
    days: { type: "string", default: "158" },
    "new-rows": { type: "string", default: "2000" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log("usage: bun test/dbt/build.bench.ts [--rows 885129] [--days 158] [--new-rows 2000] [--keep]");
  process.exit(0);
}

const rows = Number(values.rows);
const scratch = mkdtempSync(join(tmpdir(), "dbt-bench-"));
const warehouseDir = join(scratch, "warehouse");
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

let started = performance.now();
await withDuckDB(":memory:", (db) =>
  writeEventBatch(db, warehouseDir, {
    name: "bench",
    first: 0,
    count: rows,
    firstDay: "2020-09-24",
    days: Number(values.days),
    products: 53_453,
    users: 407_283,
    ingestedAt: new Date(Date.now() - 3_600_000),
  }),
);
console.error(`landing: ${rows} events written in ${seconds(started)} s`);

/** One timed dbt invocation; prints wall time and dbt's slowest nodes. */
async function timed(label: string, args: string[]): Promise<void> {
  const start = performance.now();
  const run = await runDbt(args, warehouseDir, join(scratch, "dbt"));
  assertSucceeded(run, label);
  const wall = seconds(start);
  const slowest = [...run.results]
    .sort((a, b) => b.execution_time - a.execution_time)
    .slice(0, 4)
    .map((result) => `${result.unique_id.split(".").pop()} ${result.execution_time.toFixed(2)} s`);
  console.log(`${label.padEnd(34)} ${wall.padStart(6)} s wall   slowest: ${slowest.join(", ")}`);
}

await timed("dbt build (first, full)", ["build"]);
started = performance.now();
await withDuckDB(":memory:", (db) =>
  writeEventBatch(db, warehouseDir, {
    name: "bench-new",
    first: rows,
    count: Number(values["new-rows"]),
    firstDay: "2021-02-28",
    days: 1,
    products: 53_453,
    users: 407_283,
    ingestedAt: new Date(),
  }),
);
await timed(`dbt build (incremental, +${values["new-rows"]} rows)`, ["build"]);
await timed("dbt build (nothing new)", ["build"]);
await timed("dbt build --full-refresh", ["build", "--full-refresh"]);
await withDuckDB(join(warehouseDir, "ecom.duckdb"), async (db) => {
  const count = (table: string) => scalar(db, `select count(*) from ${table}`);
  console.log(
    `rows: stg ${await count("stg_ecom_events")}, sessions ${await count("fct_sessions")}, ` +
      `products ${await count("dim_products")}, product-days ${await count("fct_ecommerce_events")}, ` +
      `days ${await count("fct_daily_kpis")}`,
  );
});

if (values.keep) console.error(`kept ${scratch}`);
else rmSync(scratch, { recursive: true, force: true });
