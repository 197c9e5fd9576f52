#!/usr/bin/env bun
/**
 * `just generate`: writes a synthetic click-event CSV shaped like the reference Kaggle dataset
 * (which cannot be downloaded here), deterministic for a seed. See lib/events/generate/.
 */
import { mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { createWriteStream } from "node:fs";
import { dirname, join, relative } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseCli } from "../lib/cli/args.ts";
import { createGzip } from "node:zlib";
import { formatBytes, formatDuration, formatInt, formatRate } from "../lib/cli/format.ts";
import { ProgressReporter } from "../lib/cli/progress.ts";
import { generateCsv } from "../lib/events/generate/csv-rows.ts";
import { REFERENCE } from "../lib/events/generate/shape.ts";
import { paths } from "../lib/paths.ts";

const DEFAULT_OUT = join(paths.data, "events.csv");

const HELP = `Usage: bun scripts/generate.ts [--rows N] [--seed S] [--out PATH] [--quiet]

Writes synthetic e-commerce click events as CSV, shaped like the reference dataset
("eCommerce events history in electronics store": ${formatInt(REFERENCE.rows)} rows, 2020-09-24 → 2021-02-28,
89.7% view / 6.1% cart / 4.2% purchase, a little remove_from_cart), sorted by event_time.
The same --rows and --seed always give the same bytes.

Options:
  --rows N      rows to write (default ${REFERENCE.rows}, the reference size; 1e6 and 1_000_000 work)
  --seed S      integer seed (default 42)
  --out PATH    output file (default ${relative(process.cwd(), DEFAULT_OUT) || DEFAULT_OUT});
                a name ending in .gz is gzip-compressed
  --quiet       no progress, only the summary
  -h, --help    this text

Progress goes to stderr; the summary (rows, bytes, seconds, rows/s) too; stdout gets the path.
Exit codes: 0 written, 1 could not write, 2 bad arguments.`;

function fail(message: string, code: number): never {
  console.error(`generate: ${message}`);
  process.exit(code);
}

const { values } = parseCli("generate", HELP, {
  options: {
    rows: { type: "string", default: String(REFERENCE.rows) },
    seed: { type: "string", default: "42" },
    out: { type: "string", default: DEFAULT_OUT },
    quiet: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

const rows = Number(values.rows.replaceAll("_", ""));
if (!Number.isSafeInteger(rows) || rows < 0) fail(`--rows: expected a whole number ≥ 0, got '${values.rows}'`, 2);
const seed = Number(values.seed);
if (!Number.isSafeInteger(seed)) fail(`--seed: expected an integer, got '${values.seed}'`, 2);
const out = values.out;
const gzip = out.endsWith(".gz");

// Written under a temporary name and renamed at the end: an interrupted run leaves no half file
// that a producer could mistake for data.
const tmp = `${out}.tmp-${process.pid}`;
const stats = { rows: 0 };
let bytes = 0;
const progress = new ProgressReporter({ label: "generate", totalRows: rows, stream: process.stderr });
const counter = new Transform({
  transform(chunk: Uint8Array, _encoding, done) {
    bytes += chunk.length;
    if (!values.quiet) progress.update({ rows: stats.rows });
    done(null, chunk);
  },
});

try {
  mkdirSync(dirname(out), { recursive: true });
  const source = Readable.from(generateCsv({ rows, seed, stats }), { objectMode: false });
  const sink = createWriteStream(tmp);
  if (gzip) await pipeline(source, counter, createGzip({ level: 6 }), sink);
  else await pipeline(source, counter, sink);
  renameSync(tmp, out);
} catch (error) {
  rmSync(tmp, { force: true });
  progress.done();
  fail(`cannot write ${out}: ${(error as Error).message}`, 1);
}
progress.done();

const seconds = progress.elapsed();
const size = statSync(out).size;
// process.stderr.write, not console.error: Bun paints console.error red on a terminal.
process.stderr.write(
  `generate: wrote ${formatInt(rows)} rows to ${out} — ${formatBytes(bytes)} of CSV${gzip ? `, ${formatBytes(size)} gzipped` : ""}` +
    ` in ${formatDuration(seconds)} (${formatRate(rows / Math.max(seconds, 1e-9), "rows")}, seed ${seed})\n`,
);
console.log(out);
