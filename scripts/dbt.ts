#!/usr/bin/env bun
/**
 * `just dbt …`: runs the project venv's dbt on the dbt/ project with its own profiles.yml
 * (nothing is read from ~/.dbt). Every argument goes to dbt unchanged; with none, or with
 * only flags, the command is `build`.
 */
import { existsSync, mkdirSync } from "node:fs";
import { paths } from "../lib/paths.ts";

const HELP = `Usage: just dbt [COMMAND] [DBT FLAGS...]

Runs dbt (${paths.dbt}) on the project in dbt/ with dbt/profiles.yml.
COMMAND defaults to build, so \`just dbt --target bigquery\` builds on BigQuery.
Everything else is dbt's own: \`just dbt run --select fct_sessions+\`,
\`just dbt test\`, \`just dbt docs generate\`, \`just dbt source freshness\`,
\`just dbt build --full-refresh\`, \`just dbt <command> --help\`.

Targets (dbt/profiles.yml):
  local      default: DuckDB file $WAREHOUSE_DIR/ecom.duckdb over the Parquet landing files
             in $WAREHOUSE_DIR/raw/kafka_ecom_events (WAREHOUSE_DIR: ${paths.warehouse})
  bigquery   chosen by --target bigquery, DBT_TARGET=bigquery or WAREHOUSE=bigquery;
             GCP_PROJECT, BQ_DATASET (ecom_events), BQ_LOCATION,
             GOOGLE_APPLICATION_CREDENTIALS (service-account key; else gcloud ADC),
             BIGQUERY_API_ENDPOINT (an emulator, e.g. http://127.0.0.1:9050)

Exit codes: dbt's own (0 ok, 1 a model or test failed, 2 dbt could not run),
  2 when the venv's dbt is missing (run \`just setup\`).`;

const args = Bun.argv.slice(2);
// Only a leading --help is ours: parseArgs would reject dbt's flags, and
// `just dbt run --help` must reach dbt.
if (args[0] === "--help" || args[0] === "-h") {
  console.log(HELP);
  process.exit(0);
}
if (!existsSync(paths.dbt)) {
  console.error(`dbt not found at ${paths.dbt}: run \`just setup\` (step "python venv").`);
  process.exit(2);
}

const command = args.length === 0 || args[0]!.startsWith("-") ? ["build", ...args] : args;
const warehouseDir = process.env.WAREHOUSE_DIR ?? paths.warehouse;
// DuckDB creates its database file but not the folder it sits in.
mkdirSync(warehouseDir, { recursive: true });

// dbt reads DBT_PROJECT_DIR / DBT_PROFILES_DIR / DBT_TARGET like the matching flags; as
// environment they work for every subcommand, wherever the user's flags sit.
const env: Record<string, string | undefined> = {
  ...process.env,
  WAREHOUSE_DIR: warehouseDir,
  DBT_PROJECT_DIR: paths.dbtProject,
  DBT_PROFILES_DIR: paths.dbtProject,
};
if (!env.DBT_TARGET && process.env.WAREHOUSE === "bigquery") env.DBT_TARGET = "bigquery";

const child = Bun.spawn([paths.dbt, ...command], { env, stdio: ["inherit", "inherit", "inherit"] });
// Ctrl-C reaches dbt through the terminal's process group; a plain SIGTERM would not.
process.on("SIGTERM", () => child.kill("SIGTERM"));
process.exit(await child.exited);
