# E-commerce click-event pipeline: CSV → Avro → Kafka → DuckDB/BigQuery → dbt → dashboard.
# From a fresh clone run `scripts/just <recipe>` (it installs Bun and just first).

set dotenv-load
set shell := ["bash", "-euo", "pipefail", "-c"]

export PATH := justfile_directory() / "node_modules/.bin" + ":" + justfile_directory() / ".tools/node_modules/.bin" + ":" + env_var('PATH')

bun := "bun"

# List the recipes
default:
    @just --list --unsorted

# Install everything (Debian packages, npm deps, librdkafka, Kafka jars, dbt venv, BigQuery emulator); idempotent
[group('dev')]
setup *args:
    {{bun}} scripts/setup.ts {{args}}

# Start the local stack: kafka and registry by default; `just up bigquery` or `just up all` adds the emulator
[group('local stack')]
up *services: _ready
    {{bun}} scripts/stack.ts up {{services}}

# Stop the services `just up` started (all by default)
[group('local stack')]
down *services:
    {{bun}} scripts/stack.ts down {{services}}

# Address, pid and health of each local service
[group('local stack')]
status:
    {{bun}} scripts/stack.ts status

# Run the Schema Registry in the foreground (flags: --port, --db, --basic-auth; see --help)
[group('local stack')]
registry *args: _ready
    {{bun}} scripts/registry.ts {{args}}

# Run the whole test suite (sets up what is missing; tests start their own Kafka and registry)
[group('dev')]
test *args: _ready
    {{bun}} test {{args}}

# Type-check every TypeScript file
[group('dev')]
typecheck: _ready
    tsc --noEmit -p .

# Set up only when something is missing (fast no-op otherwise)
_ready:
    @{{bun}} scripts/setup.ts --quiet
