# E-commerce click-event pipeline: CSV → Avro → Kafka → DuckDB/BigQuery → dbt → dashboard.
# From a fresh clone run `scripts/just <recipe>` (it installs Bun and just first).

set dotenv-load
# Recipe arguments reach scripts as "$@", so quoted SQL and paths with spaces survive.
set positional-arguments
set shell := ["bash", "-euo", "pipefail", "-c"]

export PATH := justfile_directory() / "node_modules/.bin" + ":" + justfile_directory() / ".tools/node_modules/.bin" + ":" + env_var('PATH')

bun := "bun"

# List the recipes
default:
    @just --list --unsorted

# Install everything (Debian packages, npm deps, librdkafka, Kafka jars, dbt venv, BigQuery emulator); idempotent
[group('dev')]
setup *args:
    {{bun}} scripts/setup.ts "$@"

# Start the local stack: kafka and registry by default; `just up bigquery` or `just up all` adds the emulator
[group('local stack')]
up *services: _ready
    {{bun}} scripts/stack.ts up "$@"

# Stop the services `just up` started (all by default)
[group('local stack')]
down *services:
    {{bun}} scripts/stack.ts down "$@"

# Address, pid and health of each local service
[group('local stack')]
status:
    {{bun}} scripts/stack.ts status

# The whole pipeline on the local stack: up → generate (if no data) → produce → consume → dbt → KPI report
[group('pipeline')]
demo *args: _ready
    {{bun}} scripts/demo.ts "$@"

# Serve the dashboard on http://127.0.0.1:8090: KPIs, daily charts, funnel, top categories/brands and live ingestion
[group('pipeline')]
dashboard *args: _ready
    {{bun}} scripts/dashboard.ts "$@"

# Print the core KPIs from the dbt models (events by type, revenue, users, top categories)
[group('pipeline')]
report *args: _ready
    {{bun}} scripts/report.ts "$@"

# Write synthetic click events shaped like the Kaggle dataset (--rows N --seed S --out PATH; .gz compresses)
[group('pipeline')]
generate *args: _ready
    {{bun}} scripts/generate.ts "$@"

# Fetch the Kaggle dataset into data/ (needs Kaggle credentials and network; else use generate)
[group('pipeline')]
download *args: _ready
    {{bun}} scripts/download.ts "$@"

# CSV → Avro → Kafka topic ecom_events (default file data/events.csv; --help for options)
[group('pipeline')]
produce *args: _ready
    {{bun}} scripts/produce.ts "$@"

# Kafka → warehouse (local Parquet, or BigQuery with WAREHOUSE=bigquery); --until-caught-up for batch use
[group('pipeline')]
consume *args: _ready
    {{bun}} scripts/consume.ts "$@"

# Query the warehouse and print a table: just sql "select event_type, count(*) from kafka_ecom_events group by 1"
[group('pipeline')]
sql *args: _ready
    {{bun}} scripts/sql.ts "$@"

# Merge the many small landing files of each day into one sorted file
[group('pipeline')]
compact *args: _ready
    {{bun}} scripts/compact.ts "$@"

# Run dbt on dbt/ (default command: build); extra arguments pass through: just dbt --target bigquery
[group('dbt')]
dbt *args: _ready
    {{bun}} scripts/dbt.ts "$@"

# Build the dbt models without running tests
[group('dbt')]
dbt-run *args: _ready
    {{bun}} scripts/dbt.ts run "$@"

# Run dbt's unit, data and reconciliation tests
[group('dbt')]
dbt-test *args: _ready
    {{bun}} scripts/dbt.ts test "$@"

# Generate the dbt docs and serve them on http://127.0.0.1:8080 (Ctrl-C to stop)
[group('dbt')]
dbt-docs *args: _ready
    {{bun}} scripts/dbt.ts docs generate "$@"
    {{bun}} scripts/dbt.ts docs serve --host 127.0.0.1 --port 8080 --no-browser

# Remove dbt's target/ and logs/
[group('dbt')]
dbt-clean: _ready
    {{bun}} scripts/dbt.ts clean

# Run the Schema Registry in the foreground (flags: --port, --db, --basic-auth; see --help)
[group('local stack')]
registry *args: _ready
    {{bun}} scripts/registry.ts "$@"

# Run the whole test suite (sets up what is missing; tests start their own Kafka and registry)
[group('dev')]
test *args: _ready
    {{bun}} test --timeout 300000 "$@"

# Type-check every TypeScript file
[group('dev')]
typecheck: _ready
    tsc --noEmit -p .

# Benchmark the pipeline: producer, consumer, end-to-end and dbt on 885k and 10M rows (table + reports/bench.md; ~15 min)
[group('bench')]
bench *args: _ready
    {{bun}} scripts/stack.ts up
    {{bun}} scripts/bench.ts "$@"

# Benchmark the Kafka binding vs rdkafka_performance and Kafka's Java perf tools (table + reports/bench-kafka.md)
[group('bench')]
bench-kafka *args: _ready
    {{bun}} scripts/stack.ts up kafka
    {{bun}} scripts/bench-kafka.ts "$@"

# Set up only when something is missing (fast no-op otherwise)
_ready:
    @{{bun}} scripts/setup.ts --quiet
