#!/usr/bin/env bun
/**
 * Benchmark of the local Parquet sink: rows/s of `write()` (staging, sort, zstd Parquet, fsync,
 * rename) for batches of 50k–500k generated rows over 3 dates and 3 partitions, handed over in
 * columns as the consumer does (--objects: as row objects), into a temp WAREHOUSE_DIR that is
 * removed afterwards. Not a test (bun test only runs *.test.ts):
 *
 *   bun test/sinks/parquet.bench.ts [--batches 50000,100000,200000,500000] [--rounds 4]
 *
 * Prints per batch size: rows/s (wall), CPU µs per row for the whole process and for the JS
 * thread alone, and the process RSS before and while writing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ParquetSink } from "../../lib/sinks/parquet.ts";
import { RowBatch, type RawRow } from "../../lib/sinks/sink.ts";
import { makeRows } from "./parquet-rows.ts";

const { values } = parseArgs({
  options: {
    batches: { type: "string", default: "50000,100000,200000,500000" },
    rounds: { type: "string", default: "4" },
    partitions: { type: "string", default: "3" },
    days: { type: "string", default: "3" },
    // With 2, write(n+1) is called while write(n) is in flight, as a pipelining consumer would.
    inflight: { type: "string", default: "1" },
    objects: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log("usage: bun test/sinks/parquet.bench.ts [--batches 50000,500000] [--rounds 4] [--partitions 3] [--days 3] [--inflight 1|2] [--objects]");
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "parquet-bench-"));
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
// CPU time of the JS thread alone (the main thread's tid is the pid): what write() takes from a
// consumer that decodes its next batch while DuckDB works on this one.
const jsThreadMs = () => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
// Linux keeps the peak RSS (VmHWM) itself, including moments the JS thread is busy; writing 5 to
// clear_refs resets it to the current RSS.
const peakRss = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) * 1024;
const resetPeakRss = () => writeFileSync("/proc/self/clear_refs", "5");
const sink = new ParquetSink({ warehouseDir: dir });
await sink.open();
try {
  let offset = 0;
  for (const size of values.batches.split(",").map(Number)) {
    // Two distinct batches alternate so no round benefits from a previous one's caches.
    const batches = [1, 2].map((seed) =>
      makeRows({ count: size, seed, firstOffset: 0, partitions: Number(values.partitions), days: Number(values.days) }),
    );
    Bun.gc(true);
    const baseRss = process.memoryUsage.rss();
    resetPeakRss();
    const timings: string[] = [];
    let totalWall = 0;
    let totalCpu = 0;
    let totalJs = 0;
    const rounds = Number(values.rounds);
    const inflight = Number(values.inflight);
    const pending: Promise<unknown>[] = [];
    // Fresh offsets per round, in columns as the consumer hands them over (--objects: row
    // objects, converted by the sink), set up front so no round pays for it.
    const plans = Array.from({ length: rounds + 1 }, (_, round): RowBatch | RawRow[] => {
      const rows = batches[round % 2]!.map((row) => ({ ...row, _kafka_offset: row._kafka_offset + offset }));
      offset += size;
      return values.objects ? rows : RowBatch.fromRows(rows);
    });
    for (let round = 0; round <= rounds; round++) {
      const rows = plans[round]!;
      plans[round] = [];
      if (round === 1) {
        await Promise.all(pending.splice(0)); // the warm-up round is not timed
        Bun.gc(true);
      }
      const wall0 = performance.now();
      const cpu0 = cpuMs();
      const js0 = jsThreadMs();
      const write = sink.write(rows).then((result) => {
        if (result.written !== size) throw new Error(`wrote ${result.written} of ${size}`);
      });
      pending.push(write);
      if (pending.length >= inflight) await pending.shift();
      const wall = performance.now() - wall0;
      const cpu = cpuMs() - cpu0;
      const js = jsThreadMs() - js0;
      if (round === 0) continue;
      totalWall += wall;
      totalCpu += cpu;
      totalJs += js;
      timings.push(`${wall.toFixed(0)}/${cpu.toFixed(0)}`);
    }
    {
      const wall0 = performance.now();
      const cpu0 = cpuMs();
      const js0 = jsThreadMs();
      await Promise.all(pending.splice(0));
      totalWall += performance.now() - wall0;
      totalCpu += cpuMs() - cpu0;
      totalJs += jsThreadMs() - js0;
    }
    const rowsPerSec = (size * rounds) / (totalWall / 1000);
    console.log(
      `${String(size).padStart(7)} rows/batch: ${Math.round(rowsPerSec).toLocaleString("en")} rows/s wall, ` +
        `${((totalCpu / (size * rounds)) * 1000).toFixed(2)} µs CPU/row, ${((totalJs / (size * rounds)) * 1000).toFixed(2)} on the JS thread ` +
        `(wall/cpu ms: ${timings.join(" ")}); ` +
        `RSS ${(baseRss / 1e6).toFixed(0)} MB with the rows, peak ${(peakRss() / 1e6).toFixed(0)} MB`,
    );
  }
} finally {
  await sink.close();
  rmSync(dir, { recursive: true, force: true });
}
