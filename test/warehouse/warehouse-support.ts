/** Fixtures for the warehouse tests: landing files written by the real sink, a stand-in dbt database. */
import { DuckDBInstance } from "@duckdb/node-api";
import { ParquetSink } from "../../lib/sinks/parquet.ts";
import { dbtDatabasePath } from "../../lib/warehouse/landing.ts";
import { makeRows } from "../sinks/parquet-rows.ts";

/** Lands `count` generated rows into a warehouse folder through the real sink. */
export async function land(dir: string, count: number, seed = 1): Promise<void> {
  const sink = new ParquetSink({ warehouseDir: dir });
  await sink.open();
  await sink.write(makeRows({ count, seed, firstOffset: seed * 1_000_000, partitions: 2, days: 2 }));
  await sink.close();
}

/** A stand-in for what dbt builds: a table and a view that references it by its full name. */
export async function fakeDbtDatabase(dir: string): Promise<void> {
  const instance = await DuckDBInstance.create(dbtDatabasePath(dir));
  const connection = await instance.connect();
  await connection.run(`
    create table main.fct_daily_kpis as select date '2020-09-24' as event_date, 42 as events;
    create view main.stg_view as select events * 2 as doubled from ecom.main.fct_daily_kpis;`);
  connection.closeSync();
  instance.closeSync();
}

