/**
 * The emulator-compat proxy in front of a real goccy/bigquery-emulator, spoken to over REST the
 * way google-cloud-bigquery (and so dbt-bigquery) does: jobs.insert, then jobs.get.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { RESULTS_DATASET, startEmulatorCompatProxy } from "../../lib/bigquery/emulator-compat.ts";
import { freePorts, queryEmulator, startBigQueryEmulator, type BigQueryEmulator } from "../support/bigquery-emulator.ts";

let emulator: BigQueryEmulator;
let jobNumber = 0;

interface JobAnswer {
  status: number;
  body: {
    status?: { state: string; errorResult?: { message: string } };
    configuration?: { query?: { destinationTable?: { projectId: string; datasetId: string; tableId: string } } };
    statistics?: { query?: { statementType?: string; ddlTargetTable?: { tableId: string } } };
    error?: { code: number; message: string; errors: { reason: string }[] };
  };
}

const api = (path: string) => `${emulator.endpoint}/bigquery/v2/projects/${emulator.projectId}${path}`;

/** jobs.insert of a query job through the proxy; throws unless it answers 200 with a DONE job. */
async function insertJob(sql: string): Promise<JobAnswer & { jobId: string }> {
  const jobId = `compat_test_${++jobNumber}`;
  const response = await fetch(api("/jobs"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jobReference: { projectId: emulator.projectId, jobId }, configuration: { query: { query: sql, useLegacySql: false } } }),
  });
  const answer = { status: response.status, body: (await response.json()) as JobAnswer["body"], jobId };
  if (answer.status !== 200 || answer.body.status?.errorResult) {
    throw new Error(`job failed (${answer.status}): ${JSON.stringify(answer.body.error ?? answer.body.status)}\n${sql}`);
  }
  return answer;
}

const getJob = async (jobId: string) => (await (await fetch(api(`/jobs/${jobId}`))).json()) as JobAnswer["body"];
const table = async (name: string) =>
  (await (await fetch(api(`/datasets/compat/tables/${name}`))).json()) as { type: string; schema: { fields: { name: string }[] } };
const values = async (sql: string) => (await queryEmulator(emulator, sql)).map((row) => Object.values(row).join(","));

beforeAll(async () => {
  emulator = await startBigQueryEmulator("compat-test");
  const response = await fetch(api("/datasets"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ datasetReference: { projectId: emulator.projectId, datasetId: "compat" } }),
  });
  if (!response.ok) throw new Error(`cannot create dataset: ${await response.text()}`);
});

afterAll(async () => {
  await emulator?.stop();
});

describe("the emulator-compat proxy", () => {
  it("reports a CREATE TABLE … AS SELECT as BigQuery does: statement type and destination table", async () => {
    const created = await insertJob("/* dbt */ create or replace table `compat-test`.`compat`.`ctas` as (select 1 as a)");
    const target = { projectId: "compat-test", datasetId: "compat", tableId: "ctas" };
    for (const job of [created.body, await getJob(created.jobId)]) {
      expect(job.statistics?.query?.statementType).toBe("CREATE_TABLE_AS_SELECT");
      expect(job.configuration?.query?.destinationTable).toEqual(target);
    }
  });

  it("replaces an existing view, schema and all, instead of answering 409", async () => {
    await insertJob("create or replace view `compat-test`.`compat`.`v` as (select 1 as old_column)");
    const replaced = await insertJob("create or replace view `compat-test`.`compat`.`v` as (select 2 as new_column)");
    expect(replaced.body.statistics?.query?.statementType).toBe("CREATE_VIEW");
    expect((await table("v")).schema.fields.map((field) => field.name)).toEqual(["new_column"]);
    expect(await values("select new_column from compat.v")).toEqual(["2"]);
  });

  it("answers CREATE TABLE IF NOT EXISTS of an existing table with the successful no-op", async () => {
    await insertJob("create table compat.kept (a int64)");
    await insertJob("insert into compat.kept (a) values (7)");
    const again = await insertJob("create table if not exists compat.kept (a int64)");
    expect(again.body.status?.state).toBe("DONE");
    expect(again.body.statistics?.query?.statementType).toBe("CREATE_TABLE");
    expect(await values("select a from compat.kept")).toEqual(["7"]);
  });

  it("runs dbt-bigquery's insert_overwrite script: variables, tuple SET, MERGE from a subquery", async () => {
    await insertJob("create table compat.target as select date '2020-10-01' as d, 1 as v union all select date '2020-10-02', 2");
    await insertJob("create table compat.target__dbt_tmp as select date '2020-10-02' as d, 20 as v");
    const script = await insertJob(`/* {"app": "dbt"} */
      -- generated script to merge partitions into compat.target
      declare dbt_partitions_for_replacement array<date>;
      set (dbt_partitions_for_replacement) = (
          select as struct array_agg(distinct d IGNORE NULLS) from compat.target__dbt_tmp
      );
      merge into compat.target as DBT_INTERNAL_DEST
        using (
        select
        * from compat.target__dbt_tmp
      ) as DBT_INTERNAL_SOURCE
        on FALSE
      when not matched by source and DBT_INTERNAL_DEST.d in unnest(dbt_partitions_for_replacement) then delete
      when not matched then insert (\`d\`, \`v\`) values (\`d\`, \`v\`);
      drop table if exists compat.target__dbt_tmp`);
    expect(script.body.statistics?.query?.statementType).toBe("SCRIPT");
    expect(await values("select d, v from compat.target order by d")).toEqual(["2020-10-01,1", "2020-10-02,20"]);
  });

  it("reads zone-less timestamp strings as UTC, as BigQuery does", async () => {
    expect(await values("select unix_seconds(cast('2024-01-01 00:00:01' as timestamp)) as s")).toEqual(["1704067201"]);
  });

  it("keeps every SELECT's results in one dataset instead of a new dataset per query", async () => {
    const select = await insertJob("select 42 as answer");
    expect(select.body.configuration?.query?.destinationTable?.datasetId).toBe(RESULTS_DATASET);
    await insertJob("select 43 as answer");
    const datasets = (await (await fetch(api("/datasets"))).json()) as { datasets: { datasetReference: { datasetId: string } }[] };
    expect(datasets.datasets.map((d) => d.datasetReference.datasetId).sort()).toEqual([RESULTS_DATASET, "compat"].sort());
  });

  it("answers 502 with a reason clients do not retry when the emulator is gone", async () => {
    const [closedPort] = freePorts(1);
    const proxy = startEmulatorCompatProxy({ upstream: `http://127.0.0.1:${closedPort}` });
    try {
      const response = await fetch(`${proxy.url}/bigquery/v2/projects/p/datasets`);
      const body = (await response.json()) as JobAnswer["body"];
      expect(response.status).toBe(502);
      expect(body.error?.errors[0]?.reason).toBe("emulatorUnreachable");
      expect(body.error?.message).toContain(`127.0.0.1:${closedPort}`);
    } finally {
      await proxy.stop();
    }
  });
});
