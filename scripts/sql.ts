#!/usr/bin/env bun
/**
 * `just sql "SELECT …"`: runs a query against the configured warehouse — locally a DuckDB session
 * over the landing Parquet files plus dbt's database (read-only, never locking anything), or
 * BigQuery when WAREHOUSE=bigquery — and prints the result as a table, CSV or JSON.
 */
import { parseArgs } from "node:util";
import { FORMATS, formatResult, formatSummary, type Format } from "../lib/warehouse/format.ts";
import { dbtDatabasePath, landingGlob, warehouseDir } from "../lib/warehouse/landing.ts";
import { openWarehouse, warehouseKindFromEnv, type WarehouseKind } from "../lib/warehouse/open.ts";
import { NO_DATA_MESSAGE, NoDataError, type Warehouse } from "../lib/warehouse/warehouse.ts";
import { BigQueryConfigError } from "../lib/bigquery/errors.ts";

const TABLE_MAX_ROWS = 1000;

const HELP = `Usage: just sql [OPTIONS] "SQL"        (or SQL on stdin: echo "select 1" | just sql -)

Runs SQL against the warehouse and prints the rows.

Local (default; WAREHOUSE unset or local): an in-memory DuckDB session where
  kafka_ecom_events   is a view over ${landingGlob()}
  dbt's models        come from ${dbtDatabasePath()} (attached read-only as its
                      default catalog): select * from main.fct_daily_kpis, or just fct_daily_kpis
  WAREHOUSE_DIR moves both (now ${warehouseDir()}).
BigQuery (WAREHOUSE=bigquery): a query job in GCP_PROJECT with BQ_DATASET (ecom_events) as the
  default dataset, in BQ_LOCATION; BIGQUERY_API_ENDPOINT points at an emulator (no auth sent);
  GOOGLE_APPLICATION_CREDENTIALS names a service-account key (else gcloud's application default).

Options:
  -f, --format FORMAT    table (default), csv or json; csv/json go to stdout, the summary to stderr
  -n, --max-rows N       print at most N rows (table default ${TABLE_MAX_ROWS}, csv/json default all; 0 = all)
  -w, --warehouse KIND   local or bigquery (overrides WAREHOUSE)
  -h, --help             this text

Examples:
  just sql "select event_type, count(*) from kafka_ecom_events group by all order by 2 desc"
  just sql -f csv "select * from main.fct_daily_kpis" > kpis.csv

Exit codes: 0 ok, 1 the query failed, 2 bad usage or configuration, 3 no data landed yet.`;

function usage(message: string): never {
  console.error(`sql: ${message}\n(see just sql --help)`);
  process.exit(2);
}

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        format: { type: "string", short: "f", default: "table" },
        "max-rows": { type: "string", short: "n" },
        warehouse: { type: "string", short: "w" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    usage((error as Error).message);
  }
}
const { values, positionals } = parseCommandLine();
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const format = values.format as Format;
if (!FORMATS.includes(format)) usage(`--format must be one of ${FORMATS.join(", ")}, got "${values.format}"`);
const maxRowsText = values["max-rows"] ?? (format === "table" ? String(TABLE_MAX_ROWS) : "0");
const maxRows = Number(maxRowsText);
if (!Number.isInteger(maxRows) || maxRows < 0) usage(`--max-rows must be a whole number ≥ 0, got "${maxRowsText}"`);

let sql = positionals.join(" ").trim();
if (sql === "-") sql = (await Bun.stdin.text()).trim();
if (sql === "") usage("no SQL given");

let kind: WarehouseKind;
try {
  kind = warehouseKindFromEnv(values.warehouse ? { WAREHOUSE: values.warehouse } : process.env);
} catch (error) {
  usage((error as Error).message);
}
let warehouse: Warehouse;
try {
  warehouse = await openWarehouse(kind);
} catch (error) {
  // A missing or malformed variable is a configuration problem; anything else is a failure.
  const configProblem = error instanceof BigQueryConfigError;
  console.error(`sql: cannot open the ${kind} warehouse: ${(error as Error).message}`);
  process.exit(configProblem ? 2 : 1);
}
for (const notice of warehouse.notices) console.error(`sql: ${notice}`);

let exitCode = 0;
try {
  const result = await warehouse.query(sql, { maxRows: maxRows === 0 ? undefined : maxRows });
  const text = formatResult(format, result);
  if (text !== "") process.stdout.write(`${text}\n`);
  // The summary is for people: part of the table, on stderr beside machine-readable output.
  if (format === "table") console.log(formatSummary(result));
  else console.error(formatSummary(result));
} catch (error) {
  if (error instanceof NoDataError) {
    // The notices above already said it when the session opened with nothing landed.
    if (!warehouse.notices.some((notice) => notice.startsWith(NO_DATA_MESSAGE))) console.error(`sql: ${error.message}`);
    exitCode = 3;
  } else {
    console.error(`sql: ${(error as Error).message}`);
    exitCode = 1;
  }
} finally {
  await warehouse.close();
}
process.exit(exitCode);
