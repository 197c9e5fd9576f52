#!/usr/bin/env bun
/**
 * Throughput of the events library, stage by stage, each stage in its own process so its peak
 * RSS is its own: `bun test/events/bench/events.bench.ts [--rows N] [--file PATH] [--runs R]`.
 * Not a test (big data sizes belong here); prints one line per stage, best of R runs.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatBytes, formatCount } from "../../../lib/cli/format.ts";
import { EcomEventEncoder } from "../../../lib/events/avro/encoder.ts";
import { openCsv } from "../../../lib/events/csv/reader.ts";
import type { EcomEvent } from "../../../lib/events/event.ts";
import { generateCsv } from "../../../lib/events/generate/csv-rows.ts";
import { transcodeCsv } from "../../../lib/events/transcode.ts";
import { validateRecords } from "../../../lib/events/validate.ts";

const STAGES = ["generate", "read", "parse", "validate", "encode", "general", "transcode"] as const;
type Stage = (typeof STAGES)[number];

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    file: { type: "string" },
    runs: { type: "string", default: "3" },
    stage: { type: "string" },
  },
});

/** Runs one stage in this process; prints `{rows, seconds, maxRssMB}` as JSON. */
async function runStage(stage: Stage, file: string, rows: number): Promise<void> {
  const t0 = performance.now();
  let count = 0;
  let timed = 0; // seconds spent in the measured step only (validate / encode)
  if (stage === "generate") {
    const writer = Bun.file(file).writer();
    for (const chunk of generateCsv({ rows, seed: 42 })) writer.write(chunk);
    await writer.end();
    count = rows;
  } else if (stage === "read") {
    const source = await openCsv(file);
    for await (const b of source.blocks()) count += b.bytes.length;
  } else if (stage === "parse" || stage === "validate" || stage === "encode" || stage === "general") {
    const source = await openCsv(file);
    const encoder = new EcomEventEncoder(1);
    for await (const batch of source.batches()) {
      if (stage === "parse") {
        count += batch.fields.length;
        continue;
      }
      const t1 = performance.now();
      const v = validateRecords(batch, source.columns);
      const t2 = performance.now();
      if (stage === "validate") timed += t2 - t1;
      if (stage === "encode" || stage === "general") {
        encoder.encodeBatch(v.events as EcomEvent[]);
        if (stage === "encode") timed += performance.now() - t2;
      }
      count += batch.fields.length;
    }
  } else if (stage === "transcode") {
    const source = await openCsv(file);
    for await (const b of transcodeCsv(source, 1)) count += b.records;
  }
  const seconds = stage === "validate" || stage === "encode" ? timed / 1000 : (performance.now() - t0) / 1000;
  // VmHWM, not getrusage's maxrss: Linux carries maxrss over from the parent across fork/exec.
  const hwm = /VmHWM:\s+(\d+) kB/.exec(await Bun.file("/proc/self/status").text());
  console.log(JSON.stringify({ count, seconds, maxRssMB: Number(hwm?.[1] ?? NaN) / 1024 }));
}

if (values.stage) {
  await runStage(values.stage as Stage, values.file!, Number(values.rows));
  process.exit(0);
}

const rows = Number(values.rows.replaceAll("_", ""));
const runs = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), "events-bench-"));
const file = values.file ?? join(dir, "events.csv");
try {
  const spawn = (stage: Stage) => {
    const r = Bun.spawnSync([process.execPath, import.meta.path, "--stage", stage, "--file", stage === "generate" ? join(dir, "gen.csv") : file, "--rows", String(rows)]);
    if (r.exitCode !== 0) throw new Error(`${stage}: ${r.stderr.toString()}`);
    return JSON.parse(r.stdout.toString()) as { count: number; seconds: number; maxRssMB: number };
  };
  if (!values.file) {
    const writer = Bun.file(file).writer();
    for (const chunk of generateCsv({ rows, seed: 42 })) writer.write(chunk);
    await writer.end();
  }
  console.log(`file ${file}: ${formatBytes(statSync(file).size)}, ${formatCount(rows)} rows; best of ${runs}; load ${(await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).join(" ")}`);
  const units: Record<Stage, string> = {
    generate: "rows/s written",
    read: "MB/s read (bytes, line blocks)",
    parse: "rows/s read + parsed (general parser)",
    validate: "rows/s validated (validateRecords only)",
    encode: "events/s encoded (EcomEventEncoder only)",
    general: "rows/s read → parse → validate → encode (general path)",
    transcode: "rows/s read → validate → encode (CsvTranscoder, the producer's path)",
  };
  for (const stage of STAGES) {
    let best = { count: 0, seconds: Infinity, maxRssMB: 0 };
    for (let i = 0; i < runs; i++) {
      const r = spawn(stage);
      if (r.seconds < best.seconds) best = r;
    }
    const rate = best.count / best.seconds;
    const shown = stage === "read" ? `${(rate / 1e6).toFixed(0)}` : formatCount(rate);
    console.log(`${stage.padEnd(10)} ${shown.padStart(7)} ${units[stage]}   (${best.seconds.toFixed(2)} s, peak RSS ${best.maxRssMB.toFixed(0)} MB)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
