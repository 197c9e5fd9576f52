/**
 * The dbt project's BigQuery SQL, run on goccy/bigquery-emulator: raw rows go in through the
 * consumer's BigQuerySink (so the raw table is exactly the one the consumer creates), dbt
 * compiles every model, hook and test for `--target bigquery`, and the compiled SQL runs on
 * the emulator.
 *
 * Why not `dbt build --target bigquery`: with emulator v0.8.1 every DDL job (CREATE VIEW,
 * CREATE TABLE … AS SELECT) comes back as statementType SELECT without a destinationTable, and
 * dbt-bigquery 1.11 reads `get_table(job.destination)` after each one, so every
 * materialization, every unit test (they CTAS a temp table) and the on-run-start hook fail
 * with "'NoneType' object has no attribute 'path'" although the statement ran. So this test
 * creates each model as dbt would (CREATE OR REPLACE VIEW / TABLE AS the compiled SQL) and
 * runs dbt's compiled data tests; dbt's incremental merge / insert_overwrite statements
 * themselves stay untested here.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RawRow } from "../../lib/sinks/sink.ts";
import { BigQuerySink } from "../../lib/sinks/bigquery.ts";
import { queryEmulator, startBigQueryEmulator, type BigQueryEmulator } from "../support/bigquery-emulator.ts";
import { assertSucceeded, runDbt } from "./support/dbt.ts";
import { eventBatchSql } from "./support/landing.ts";
import { rows as queryRows, scalar, withDuckDB } from "./support/warehouse.ts";

const DATASET = "ecom_events";
const batch = {
  name: "bigquery", first: 0, count: 300, firstDay: "2020-10-01", days: 3, ingestedAt: new Date(Date.now() - 3_600_000),
};

interface ManifestNode {
  unique_id: string;
  name: string;
  resource_type: string;
  relation_name: string | null;
  compiled_code?: string;
  config: { materialized: string };
  depends_on: { nodes: string[] };
}

let emulator: BigQueryEmulator;
const scratch = mkdtempSync(join(tmpdir(), "dbt-bigquery-test-"));
const built: Record<string, number> = {};
const buildErrors: string[] = [];
const failingTests: Record<string, number | string> = {};
const dataTestCount = { value: 0 };
const incrementalRows: Record<string, number> = {};
const expected = { coordinates: 0, revenueCents: 0 };

/** `dbt compile --target bigquery` against the emulator; returns the manifest's nodes. */
async function compile(extraArgs: string[]): Promise<ManifestNode[]> {
  const run = await runDbt(["compile", "--target", "bigquery", ...extraArgs], join(scratch, "warehouse"), join(scratch, "dbt"), {
    GCP_PROJECT: emulator.projectId,
    BQ_DATASET: DATASET,
    BIGQUERY_API_ENDPOINT: emulator.endpoint,
  });
  assertSucceeded(run, `dbt compile --target bigquery ${extraArgs.join(" ")}`);
  const manifest = JSON.parse(readFileSync(join(scratch, "dbt", "target", "manifest.json"), "utf8"));
  return Object.values(manifest.nodes) as ManifestNode[];
}

/** Models in an order where every model comes after the models it selects from. */
function dependencyOrder(models: ManifestNode[]): ManifestNode[] {
  const ordered: ManifestNode[] = [];
  const done = new Set<string>();
  while (ordered.length < models.length) {
    const ready = models.filter((m) => !done.has(m.unique_id) && m.depends_on.nodes.every((d) => done.has(d) || !d.startsWith("model.")));
    if (ready.length === 0) throw new Error("model dependencies form a cycle");
    for (const model of ready) {
      ordered.push(model);
      done.add(model.unique_id);
    }
  }
  return ordered;
}

/**
 * Runs a statement that returns no rows (DDL). queryEmulator reads `schema.fields` of every
 * answer, and the emulator answers CREATE TABLE IF NOT EXISTS with an empty `schema`.
 */
async function execute(sql: string): Promise<void> {
  const response = await fetch(`${emulator.endpoint}/bigquery/v2/projects/${emulator.projectId}/queries`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query: sql, useLegacySql: false }),
  });
  const body = (await response.json()) as { error?: { message: string } };
  if (!response.ok || body.error) throw new Error(`statement failed (${response.status}): ${body.error?.message}\n${sql}`);
}

const count = async (sql: string) => Number((await queryEmulator(emulator, `select count(*) as n from (${sql})`))[0]!.n);

beforeAll(async () => {
  emulator = await startBigQueryEmulator();

  // The same generated events as the local test, plus every 17th landed a second time.
  const events = await withDuckDB(":memory:", async (db) => {
    const select = `select epoch_us(event_time) as event_time, * exclude (event_time, _ingested_at, event_date),
        epoch_us(_ingested_at) as _ingested_at from (${eventBatchSql(batch)})`;
    expected.coordinates = await scalar(db, `select count(*) from (${select})`);
    expected.revenueCents = await scalar(
      db, `select sum(round(price, 2)) * 100 from (${select}) where event_type = 'purchase'`);
    return queryRows(db, select);
  });
  const rawRows = events.map((row) => ({
    ...row,
    event_time: Number(row.event_time),
    _ingested_at: Number(row._ingested_at),
    _kafka_offset: Number(row._kafka_offset),
  })) as unknown as RawRow[];
  const redelivered = rawRows
    .filter((row) => row._kafka_offset % 17 === 0)
    .map((row) => ({ ...row, _ingested_at: row._ingested_at + 60_000_000 }));
  const sink = new BigQuerySink({
    topic: "ecom_events",
    config: { projectId: emulator.projectId, dataset: DATASET, location: "US", apiEndpoint: emulator.endpoint },
  });
  await sink.open();
  for (const rows of [rawRows, redelivered]) {
    const result = await sink.write(rows);
    if (result.rejected.length > 0) throw new Error(`sink rejected rows: ${result.rejected[0]!.reason}`);
  }
  await sink.close();

  const nodes = await compile(["--full-refresh"]);
  for (const model of dependencyOrder(nodes.filter((node) => node.resource_type === "model"))) {
    const kind = model.config.materialized === "view" ? "view" : "table";
    try {
      await execute(`create or replace ${kind} ${model.relation_name} as (\n${model.compiled_code}\n)`);
      built[model.name] = await count(`select * from ${model.relation_name}`);
    } catch (error) {
      buildErrors.push(`${model.name}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  for (const test of nodes.filter((node) => node.resource_type === "test")) {
    dataTestCount.value++;
    try {
      const failures = await count(test.compiled_code!);
      if (failures > 0) failingTests[test.name] = failures;
    } catch (error) {
      failingTests[test.name] = (error as Error).message.split("\n")[0]!;
    }
  }

  // Compiled again now that the tables exist: the incremental branch of every model, after
  // the on-run-start hooks (which create the watermark table it reads).
  const incremental = await compile([]);
  for (const hook of incremental.filter((node) => node.resource_type === "operation" && node.compiled_code?.trim())) {
    await execute(hook.compiled_code!);
  }
  for (const model of incremental.filter((node) => node.config.materialized === "incremental")) {
    incrementalRows[model.name] = await count(model.compiled_code!);
  }
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("the dbt project's BigQuery SQL on the emulator", () => {
  it("builds every model from the raw table the consumer's sink creates", () => {
    expect(buildErrors).toEqual([]);
    expect(Object.keys(built).sort()).toEqual([
      "dim_products",
      "fct_category_performance",
      "fct_daily_kpis",
      "fct_ecommerce_events",
      "fct_session_event_sequence",
      "fct_sessions",
      "stg_ecom_events",
    ]);
    expect(built.stg_ecom_events).toBe(expected.coordinates);
  });

  it("passes every data test, the reconciliation tests included", () => {
    expect(dataTestCount.value).toBeGreaterThanOrEqual(29);
    expect(failingTests).toEqual({});
  });

  it("counts every event once and reconciles revenue with the purchase prices", async () => {
    const [kpis] = await queryEmulator(
      emulator, `select sum(event_count) as events, sum(revenue) * 100 as cents from ${DATASET}.fct_daily_kpis`);
    expect(Number(kpis!.events)).toBe(expected.coordinates);
    expect(Number(kpis!.cents)).toBeCloseTo(expected.revenueCents, 6);
  });

  it("compiles incremental SQL that, without a watermark, rebuilds every row", () => {
    for (const [name, rows] of Object.entries(incrementalRows)) {
      expect({ model: name, rows }).toEqual({ model: name, rows: built[name]! });
    }
    expect(Object.keys(incrementalRows).length).toBe(6);
  });
});
