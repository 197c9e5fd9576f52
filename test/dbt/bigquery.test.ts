/**
 * `dbt build --target bigquery` on goccy/bigquery-emulator, behind lib/bigquery/emulator-compat.ts
 * as `just up bigquery` runs it: raw rows go in through the consumer's BigQuerySink (so the raw
 * table is exactly the one the consumer creates), then dbt builds every model with its data and
 * unit tests, rebuilds incrementally after a second landing (dbt-bigquery's own insert_overwrite
 * and merge scripts), and checks source freshness — through scripts/dbt.ts, as users run it.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RawRow } from "../../lib/sinks/sink.ts";
import { BigQuerySink } from "../../lib/sinks/bigquery.ts";
import { queryEmulator, startBigQueryEmulator, type BigQueryEmulator } from "../support/bigquery-emulator.ts";
import { assertSucceeded, runDbt, type DbtRun } from "./support/dbt.ts";
import { eventBatchSql, type EventBatch } from "./support/landing.ts";
import { rows as queryRows, scalar, withDuckDB } from "./support/warehouse.ts";

const DATASET = "ecom_events";
const MODELS = [
  "dim_products",
  "fct_category_performance",
  "fct_daily_kpis",
  "fct_ecommerce_events",
  "fct_session_event_sequence",
  "fct_sessions",
  "stg_ecom_events",
];
/** Landed an hour ago, so the incremental build below rebuilds only what the second landing touches. */
const first: EventBatch = {
  name: "first", first: 0, count: 300, firstDay: "2020-10-01", days: 3, ingestedAt: new Date(Date.now() - 3_600_000),
};
/**
 * The same days, and a session that began in the first batch (events 296–303 share one);
 * `ingestedAt` is set when it lands, after the first build.
 */
const second: EventBatch = { ...first, name: "second", first: 300, count: 100 };

let emulator: BigQueryEmulator;
const scratch = mkdtempSync(join(tmpdir(), "dbt-bigquery-test-"));
const runs: Record<"full" | "incremental" | "freshness", DbtRun> = {} as never;
const timings: Record<string, number> = {};
const expected = { firstEvents: 0, firstRevenueCents: 0, allEvents: 0, allRevenueCents: 0, allSessions: 0, allProducts: 0 };

/** Runs dbt on the emulator and remembers how long it took (printed in afterAll). */
async function dbt(name: keyof typeof runs, args: string[]): Promise<void> {
  const started = performance.now();
  runs[name] = await runDbt([...args, "--target", "bigquery"], join(scratch, "warehouse"), join(scratch, "dbt"), {
    GCP_PROJECT: emulator.projectId,
    BQ_DATASET: DATASET,
    BIGQUERY_API_ENDPOINT: emulator.endpoint,
  });
  timings[`dbt ${args.join(" ")}`] = performance.now() - started;
}

/** The generated events of `batch` as the consumer hands them to its sink. */
async function rawRows(batch: EventBatch): Promise<RawRow[]> {
  const events = await withDuckDB(":memory:", (db) =>
    queryRows(db, `select epoch_us(event_time) as event_time, * exclude (event_time, _ingested_at, event_date),
        epoch_us(_ingested_at) as _ingested_at from (${eventBatchSql(batch)})`));
  return events.map((row) => ({
    ...row,
    event_time: Number(row.event_time),
    _ingested_at: Number(row._ingested_at),
    _kafka_offset: Number(row._kafka_offset),
  })) as unknown as RawRow[];
}

/** Lands rows through the consumer's BigQuery sink; any rejected row fails the suite. */
async function land(rows: RawRow[]): Promise<void> {
  const sink = new BigQuerySink({
    topic: "ecom_events",
    config: { projectId: emulator.projectId, dataset: DATASET, location: "US", apiEndpoint: emulator.endpoint },
  });
  await sink.open();
  const result = await sink.write(rows);
  await sink.close();
  if (result.rejected.length > 0) throw new Error(`sink rejected rows: ${result.rejected[0]!.reason}`);
}

/** Expected totals of the batches, computed by DuckDB from the same generator. */
async function totals(batches: EventBatch[]) {
  const union = batches.map((batch) => `select * from (${eventBatchSql(batch)})`).join(" union all ");
  return withDuckDB(":memory:", async (db) => ({
    events: await scalar(db, `select count(*) from (${union})`),
    revenueCents: await scalar(db, `select sum(round(price, 2)) * 100 from (${union}) where event_type = 'purchase'`),
    sessions: await scalar(db, `select count(distinct user_session) from (${union})`),
    products: await scalar(db, `select count(distinct product_id) from (${union})`),
  }));
}

const kpis = async () => {
  const [row] = await queryEmulator(
    emulator, `select sum(event_count) as events, sum(revenue) * 100 as cents from ${DATASET}.fct_daily_kpis`);
  return { events: Number(row!.events), cents: Number(row!.cents) };
};
const results = (run: DbtRun, prefix: string) => run.results.filter((result) => result.unique_id.startsWith(prefix));
const failed = (run: DbtRun) =>
  run.results.filter((r) => !["success", "pass"].includes(r.status)).map((r) => `${r.unique_id}: ${r.status} ${r.message}`);

const afterFirstBuild = { events: 0, cents: 0 };

beforeAll(async () => {
  let started = performance.now();
  emulator = await startBigQueryEmulator();
  const firstRows = await rawRows(first);
  // Every 17th record landed twice (a consumer restart before its offsets were committed).
  const redelivered = (rows: RawRow[], ingestedAt: Date) => rows
    .filter((row) => row._kafka_offset % 17 === 0)
    .map((row) => ({ ...row, _ingested_at: ingestedAt.getTime() * 1000 }));
  await land([...firstRows, ...redelivered(firstRows, new Date(first.ingestedAt.getTime() + 60_000))]);
  const firstTotals = await totals([first]);
  expected.firstEvents = firstTotals.events;
  expected.firstRevenueCents = firstTotals.revenueCents;
  timings["emulator start + first landing"] = performance.now() - started;

  await dbt("full", ["build"]);
  // When the build failed, the first test says why; a missing table here would only hide it.
  if (runs.full.exitCode === 0) Object.assign(afterFirstBuild, await kpis());

  // Second landing: new events on the same days, plus late duplicates of first-batch records.
  started = performance.now();
  const secondRows = await rawRows({ ...second, ingestedAt: new Date() });
  await land([...secondRows, ...redelivered(firstRows, new Date())]);
  const all = await totals([first, second]);
  Object.assign(expected, { allEvents: all.events, allRevenueCents: all.revenueCents, allSessions: all.sessions, allProducts: all.products });
  timings["second landing"] = performance.now() - started;

  // Unit tests ran in the full build; here the data tests check the incremental result.
  await dbt("incremental", ["build", "--exclude", "resource_type:unit_test"]);
  await dbt("freshness", ["source", "freshness"]);
}, 240_000);

afterAll(async () => {
  await emulator?.stop();
  rmSync(scratch, { recursive: true, force: true });
  const line = Object.entries(timings).map(([what, ms]) => `${what} ${(ms / 1000).toFixed(1)} s`).join(", ");
  console.error(`dbt on the BigQuery emulator: ${line}`);
  const slowest = (run: DbtRun | undefined) => [...(run?.results ?? [])]
    .sort((a, b) => b.execution_time - a.execution_time)
    .slice(0, 5)
    .map((result) => `${result.unique_id.split(".").at(-1)} ${result.execution_time.toFixed(1)} s`)
    .join(", ");
  console.error(`slowest nodes: full build ${slowest(runs.full)}; incremental ${slowest(runs.incremental)}`);
});

describe("dbt build --target bigquery on the emulator", () => {
  it("builds staging and every core model, with all data and unit tests passing", () => {
    expect(failed(runs.full)).toEqual([]);
    assertSucceeded(runs.full, "dbt build --target bigquery");
    const built = results(runs.full, "model.").map((result) => result.unique_id.split(".").at(-1));
    expect(built.sort()).toEqual(MODELS);
    expect(results(runs.full, "unit_test.").length).toBeGreaterThanOrEqual(6);
    expect(results(runs.full, "test.").length).toBeGreaterThanOrEqual(29);
  });

  it("counts every event once and reconciles revenue with the purchase prices", () => {
    expect(afterFirstBuild.events).toBe(expected.firstEvents);
    expect(afterFirstBuild.cents).toBeCloseTo(expected.firstRevenueCents, 6);
  });

  it("rebuilds incrementally with dbt-bigquery's insert_overwrite and merge, matching a full recomputation", async () => {
    expect(failed(runs.incremental)).toEqual([]);
    assertSucceeded(runs.incremental, "the incremental dbt build --target bigquery");
    const strategies = Object.fromEntries(
      results(runs.incremental, "model.").map((result) => [result.unique_id.split(".").at(-1), result.message]));
    expect(strategies).toEqual({
      stg_ecom_events: "MERGE",
      fct_ecommerce_events: "SCRIPT",
      fct_daily_kpis: "SCRIPT",
      fct_category_performance: "SCRIPT",
      fct_session_event_sequence: "MERGE",
      fct_sessions: "MERGE",
      dim_products: "MERGE",
    });
    expect(await kpis()).toEqual({ events: expected.allEvents, cents: expect.closeTo(expected.allRevenueCents, 6) });
    const [counts] = await queryEmulator(emulator, `select
        (select count(*) from ${DATASET}.fct_sessions) as sessions,
        (select count(*) from ${DATASET}.dim_products) as products,
        (select count(*) from ${DATASET}.fct_session_event_sequence) as sequenced`);
    expect(Number(counts!.sessions)).toBe(expected.allSessions);
    expect(Number(counts!.products)).toBe(expected.allProducts);
    // Every event with a session, once: the session that spans both landings was rebuilt whole.
    const [withSession] = await queryEmulator(
      emulator, `select count(*) as n from ${DATASET}.stg_ecom_events where session_id is not null`);
    expect(Number(counts!.sequenced)).toBe(Number(withSession!.n));
  });

  it("reports source freshness of the raw table", () => {
    assertSucceeded(runs.freshness, "dbt source freshness --target bigquery");
    // `source freshness` writes sources.json (no run_results.json; `results` are the build's).
    const sources = JSON.parse(readFileSync(join(scratch, "dbt", "target", "sources.json"), "utf8"));
    expect(sources.results.map((result: { unique_id: string; status: string }) => [result.unique_id, result.status]))
      .toEqual([["source.ecom_events.kafka.kafka_ecom_events", "pass"]]);
  });
});
