#!/usr/bin/env bun
/**
 * `just dashboard`: serves the local web dashboard — headline numbers, daily charts, funnel and
 * top categories/brands from dbt's models, and a live panel over the raw table — on the
 * configured warehouse (local DuckDB by default, BigQuery with WAREHOUSE=bigquery).
 */
import { parseCli, usageError } from "../lib/cli/args.ts";
import { stopOnSignals } from "../lib/cli/signals.ts";
import { BigQueryConfigError } from "../lib/bigquery/errors.ts";
import { bigQueryConfigFromEnv } from "../lib/bigquery/config.ts";
import { startDashboard } from "../lib/dashboard/server.ts";
import { DashboardSource } from "../lib/dashboard/source.ts";
import { warehouseDir } from "../lib/warehouse/landing.ts";
import { warehouseKindFromEnv, WarehouseConfigError, type WarehouseKind } from "../lib/warehouse/open.ts";

const DEFAULT_PORT = 8090;

const HELP = `Usage: just dashboard [OPTIONS]

Serves the dashboard on http://127.0.0.1:${DEFAULT_PORT}/ until Ctrl-C: headline numbers, events
and revenue per day, the view → cart → purchase funnel and the top categories and brands from
dbt's models (build them with just dbt), and a live panel from the raw table kafka_ecom_events
(rows landed, ingestion lag, rows per minute) that refreshes every few seconds.

Local (default): reads ${warehouseDir()} (WAREHOUSE_DIR). The dashboard opens dbt's
database only for the moment of a read, so just dbt can rebuild while it runs.
BigQuery (WAREHOUSE=bigquery): GCP_PROJECT, BQ_DATASET, BQ_LOCATION, GOOGLE_APPLICATION_CREDENTIALS
or BIGQUERY_API_ENDPOINT, as for just sql. Results are reused for a while: every query is billed.

Options:
  -p, --port N          port to listen on (default: DASHBOARD_PORT, else ${DEFAULT_PORT}; 0 = any free port)
      --host ADDRESS    address to listen on (default 127.0.0.1; 0.0.0.0 exposes it to your network)
      --refresh SECONDS how often the page refreshes (default 5 locally, 30 on BigQuery)
  -w, --warehouse KIND  local or bigquery (overrides WAREHOUSE)
  -h, --help            this text

Prints the URL on stdout. Exit codes: 0 stopped by Ctrl-C/SIGTERM, 1 the server could not
start (port in use, files missing), 2 bad usage or configuration.`;

const { values } = parseCli("dashboard", HELP, {
  options: {
    port: { type: "string", short: "p" },
    host: { type: "string", default: "127.0.0.1" },
    refresh: { type: "string" },
    warehouse: { type: "string", short: "w" },
    help: { type: "boolean", short: "h", default: false },
  },
});

const portText = values.port ?? process.env.DASHBOARD_PORT ?? String(DEFAULT_PORT);
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65535) usageError("dashboard", `--port must be a port number 0–65535, got "${portText}"`);

let kind: WarehouseKind;
try {
  kind = warehouseKindFromEnv(values.warehouse ? { WAREHOUSE: values.warehouse } : process.env);
  // Fail now, naming the variable, rather than on the page's first request.
  if (kind === "bigquery") bigQueryConfigFromEnv();
} catch (error) {
  if (!(error instanceof WarehouseConfigError || error instanceof BigQueryConfigError)) throw error;
  usageError("dashboard", error.message);
}

const refreshText = values.refresh ?? (kind === "bigquery" ? "30" : "5");
const refreshSeconds = Number(refreshText);
if (!Number.isFinite(refreshSeconds) || refreshSeconds < 1) {
  usageError("dashboard", `--refresh must be a number of seconds ≥ 1, got "${refreshText}"`);
}

const source = new DashboardSource({ kind, env: process.env });
let dashboard;
try {
  dashboard = startDashboard({ source, port, hostname: values.host, refreshSeconds });
} catch (error) {
  const message = (error as Error).message;
  const hint = /in use|EADDRINUSE/i.test(message) ? ` (another program has port ${port}: try --port ${port + 1})` : "";
  console.error(`dashboard: cannot start: ${message}${hint}`);
  process.exit(1);
}
console.error(`dashboard: serving the ${kind} warehouse (${source.warehouse.location}); Ctrl-C to stop`);
console.log(dashboard.url);

stopOnSignals("stopping the dashboard").addEventListener("abort", async () => {
  await dashboard.stop();
  process.exit(0);
});
