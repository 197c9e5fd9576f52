#!/usr/bin/env bun
/**
 * `just demo`: the whole pipeline on the local stack, start to finish — stack up, data generated
 * if there is none, produce, consume until caught up, dbt build, then a short KPI report.
 * Each stage runs as its own script, exactly as you would run it by hand.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseCli } from "../lib/cli/args.ts";
import { formatDuration } from "../lib/cli/format.ts";
import { resolveClientSettings } from "../lib/config/client.ts";
import { DEFAULT_DLQ_TOPIC, DEFAULT_TOPIC } from "../lib/events/event.ts";
import { Admin } from "../lib/kafka/admin.ts";
import { paths } from "../lib/paths.ts";
import { kpiReport } from "../lib/report/kpis.ts";
import { openDuckDbWarehouse } from "../lib/warehouse/duckdb.ts";

const HELP = `Usage: just demo [--rows N] [--fresh]

Runs the whole pipeline locally and prints the core KPIs:
  1. just up                      Kafka + Schema Registry (left running; just down stops them)
  2. just generate                only when data/events.csv is missing (--rows, default 885129)
  3. just produce                 only when topic ${DEFAULT_TOPIC} is empty or missing
  4. just consume --until-caught-up
  5. just dbt                     dbt build on DuckDB
  6. a KPI report from the dbt models

Options:
  --rows N     rows to generate when data/events.csv is missing (default 885129)
  --fresh      start over: delete topics ${DEFAULT_TOPIC}/${DEFAULT_DLQ_TOPIC}, the landing files and
               dbt's database (data/events.csv is kept)
  -h, --help   this text
Exit codes: 0 done; otherwise the exit code of the step that failed (its output says why).`;

const { values } = parseCli("demo", HELP, {
  options: {
    rows: { type: "string", default: "885129" },
    fresh: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

const timings: [string, number][] = [];
async function step(name: string, script: string, args: string[]): Promise<void> {
  console.error(`\n==> ${name}`);
  const started = performance.now();
  const proc = Bun.spawn([process.execPath, join(paths.root, "scripts", `${script}.ts`), ...args], { stdio: ["inherit", "inherit", "inherit"] });
  const code = await proc.exited;
  timings.push([name, (performance.now() - started) / 1000]);
  if (code !== 0) {
    console.error(`\ndemo stopped: "${name}" exited with ${code}`);
    process.exit(code);
  }
}

await step("start the local stack", "stack", ["up"]);

const settings = resolveClientSettings();
const admin = new Admin({ config: settings.kafka });
const topicState = () => admin.metadata({ topic: DEFAULT_TOPIC }).topics.find((t) => t.name === DEFAULT_TOPIC);
if (values.fresh) {
  console.error("\n==> --fresh: deleting topics, landing files and dbt's database");
  await admin.deleteTopics([DEFAULT_TOPIC, DEFAULT_DLQ_TOPIC]);
  rmSync(paths.warehouse, { recursive: true, force: true });
}

const csv = join(paths.data, "events.csv");
if (!existsSync(csv)) await step(`generate ${Number(values.rows).toLocaleString("en-US")} events`, "generate", ["--rows", values.rows, "--out", csv]);
else console.error(`\n==> using ${csv} (delete it, or --rows with a fresh file, to generate new data)`);

// Producing again would add every event a second time under new offsets: only fill an empty topic.
const existing = topicState();
const hasEvents = existing !== undefined && existing.error === 0 && existing.partitions.some((p) => admin.watermarks(DEFAULT_TOPIC, p.id).high > 0);
admin.close();
if (hasEvents) console.error(`\n==> topic ${DEFAULT_TOPIC} already holds events: not producing them again (--fresh starts over)`);
else await step("produce CSV → Avro → Kafka", "produce", [csv]);

await step("consume Kafka → Parquet until caught up", "consume", ["--until-caught-up"]);
await step("dbt build (staging + core models and tests)", "dbt", ["build"]);

const warehouse = await openDuckDbWarehouse();
try {
  console.log(`\n${await kpiReport(warehouse)}`);
} finally {
  await warehouse.close();
}

console.log(`\nSteps: ${timings.map(([name, s]) => `${name.split(" ")[0]} ${formatDuration(s)}`).join(" · ")}`);
console.log(`
Where to look next:
  just sql "select * from fct_daily_kpis order by event_date desc limit 10"
  just sql "select * from fct_sessions where is_converted limit 10"
  just dbt-docs                 model and column documentation on http://127.0.0.1:8080
  just consume                  keep consuming (Ctrl-C stops cleanly); just produce --replay 3600 for a live stream
  just status · just down       the local stack
  Landing files: ${join(paths.warehouse, "raw", "kafka_ecom_events")} · dbt database: ${join(paths.warehouse, "ecom.duckdb")}`);

