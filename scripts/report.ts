#!/usr/bin/env bun
/** `just report`: the core KPIs from the dbt models (after `just dbt`), on the configured warehouse. */
import { parseCli } from "../lib/cli/args.ts";
import { kpiReport } from "../lib/report/kpis.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";

const HELP = `Usage: just report

Prints events by type, revenue, users, sessions, conversion and the top categories, from the
dbt models (build them first with just dbt). Local DuckDB by default; WAREHOUSE=bigquery for
BigQuery. Exit codes: 0 printed, 1 the models are missing or the warehouse failed.`;

parseCli("report", HELP, { options: { help: { type: "boolean", short: "h", default: false } } });
const warehouse = await openWarehouse();
try {
  for (const notice of warehouse.notices) console.error(`note: ${notice}`);
  console.log(await kpiReport(warehouse));
} catch (error) {
  console.error(`report failed: ${(error as Error).message}\n(build the models first: just dbt)`);
  process.exitCode = 1;
} finally {
  await warehouse.close();
}
