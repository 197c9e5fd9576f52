#!/usr/bin/env bun
/**
 * `just compact`: merges the small Parquet files the consumer leaves in each event-date folder of
 * the local warehouse into one sorted file per date (lib/sinks/parquet-compact.ts). Safe while
 * the consumer writes and while dbt or `just sql` read.
 */
import { parseArgs } from "node:util";
import { CompactionBusyError, compactLanding } from "../lib/sinks/parquet-compact.ts";
import { landingRoot } from "../lib/warehouse/landing.ts";

const HELP = `Usage: just compact [OPTIONS]

Merges the Parquet files of each event date under
  ${landingRoot()}
(WAREHOUSE_DIR moves it) into one zstd file sorted by event_type, product_id, category_code.
The merged file is renamed into place before the originals are removed, so readers never miss
a row; a query running at that moment may see rows twice (removed by staging's deduplication
on _kafka_partition/_kafka_offset, like a Kafka redelivery) or fail once with "file not found"
(run it again). Files landing meanwhile are left for the next run.

Options:
  -d, --date YYYY-MM-DD   only this date (repeatable); default every date
  -m, --min-files N       skip dates with fewer files than N (default 2)
  -n, --dry-run           show what would be merged, change nothing
  -h, --help              this text

Exit codes: 0 ok, 1 compaction failed, 2 bad usage, 3 another compaction is running.`;

function usage(message: string): never {
  console.error(`compact: ${message}\n(see just compact --help)`);
  process.exit(2);
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        date: { type: "string", short: "d", multiple: true },
        "min-files": { type: "string", short: "m", default: "2" },
        "dry-run": { type: "boolean", short: "n" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    usage((error as Error).message);
  }
}
const { values } = parseCommandLine();
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const minFiles = Number(values["min-files"]);
if (!Number.isInteger(minFiles) || minFiles < 1) usage(`--min-files must be a whole number ≥ 1, got "${values["min-files"]}"`);
for (const date of values.date ?? []) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) usage(`--date must look like 2020-09-24, got "${date}"`);
}

const started = performance.now();
try {
  const results = await compactLanding({ dates: values.date, minFiles, dryRun: values["dry-run"] });
  if (results.length === 0) console.error(`compact: nothing to do: no event-date folders under ${landingRoot()}`);
  let merged = 0;
  for (const result of results) {
    if (result.skipped) {
      console.log(`${result.date}  skipped (${result.skipped})`);
    } else if (values["dry-run"]) {
      console.log(`${result.date}  would merge ${result.files} files, ${result.rows.toLocaleString("en-US")} rows`);
    } else {
      merged++;
      console.log(`${result.date}  merged ${result.files} files, ${result.rows.toLocaleString("en-US")} rows → ${result.output}`);
    }
  }
  console.error(`compact: ${merged} date(s) compacted in ${((performance.now() - started) / 1000).toFixed(2)} s`);
} catch (error) {
  console.error(`compact: ${(error as Error).message}`);
  process.exit(error instanceof CompactionBusyError ? 3 : 1);
}
