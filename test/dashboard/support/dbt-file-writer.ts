#!/usr/bin/env bun
/**
 * Opens dbt's DuckDB file for writing, as `dbt build` does, in a process of its own: DuckDB's
 * file locks are per process, so only another process can tell whether the dashboard holds one.
 *
 *   bun dbt-file-writer.ts FILE          write a row and exit (0 when the file could be opened)
 *   bun dbt-file-writer.ts FILE --hold   keep the file open (locked) until killed; prints "holding"
 */
import { DuckDBInstance } from "@duckdb/node-api";

const [file, mode] = Bun.argv.slice(2);
if (!file) {
  console.error("usage: dbt-file-writer.ts FILE [--hold]");
  process.exit(2);
}
const instance = await DuckDBInstance.create(file);
const connection = await instance.connect();
await connection.run("create or replace table main.lock_probe as select now() as probed_at");
if (mode === "--hold") {
  console.log("holding");
  await new Promise(() => {});
}
connection.closeSync();
instance.closeSync();
