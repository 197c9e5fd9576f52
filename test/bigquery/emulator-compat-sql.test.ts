import { describe, expect, it } from "bun:test";
import { describeQuery, rewriteForEmulator } from "../../lib/bigquery/emulator-compat-sql.ts";

const DBT_COMMENT = '/* {"app": "dbt", "node_id": "model.ecom_events.x"} */\n';
const defaults = { projectId: "proj", datasetId: "ds" };

describe("describeQuery", () => {
  it("reports a dbt CREATE TABLE … AS SELECT with the table it creates", () => {
    const sql = `${DBT_COMMENT}
      create or replace table \`test-project\`.\`ecom_events\`.\`Fct_X\`
      partition by event_date
      cluster by event_type, product_id
      OPTIONS(description="""rows; as in the "source" """)
      as (
        select 1 as a
      );`;
    expect(describeQuery(sql, defaults)).toEqual({
      type: "CREATE_TABLE_AS_SELECT",
      statements: [{
        type: "CREATE_TABLE_AS_SELECT",
        target: { projectId: "test-project", datasetId: "ecom_events", tableId: "Fct_X" },
        orReplace: true,
        ifNotExists: false,
      }],
    });
  });

  it("tells a column-list CREATE TABLE IF NOT EXISTS from a CTAS, and fills in default names", () => {
    const { type, statements } = describeQuery("create table if not exists d.watermarks (model_name string, landed_by timestamp)", defaults);
    expect(type).toBe("CREATE_TABLE");
    expect(statements[0]).toMatchObject({ ifNotExists: true, target: { projectId: "proj", datasetId: "d", tableId: "watermarks" } });
    expect(describeQuery("drop view if exists `my-proj.d.v`").statements[0]!.target).toEqual({ projectId: "my-proj", datasetId: "d", tableId: "v" });
    expect(describeQuery("drop table my-proj.d.t").statements[0]!.target).toEqual({ projectId: "my-proj", datasetId: "d", tableId: "t" });
  });

  it("names DML, views and queries as BigQuery's job statistics do", () => {
    const types = [
      "create or replace view `p`.`d`.`v` OPTIONS() as (select 1)",
      "create materialized view p.d.mv as select 1",
      "insert into t (a) values ('x; y')",
      "merge into t using s on false when not matched then insert row",
      "delete from t where true",
      "with a as (select 1) select * from a",
      "(select 1) union all (select 2)",
      "select 'create table x as select 1' -- ; drop table y",
    ].map((sql) => describeQuery(sql, defaults).type);
    expect(types).toEqual(["CREATE_VIEW", "CREATE_MATERIALIZED_VIEW", "INSERT", "MERGE", "DELETE", "SELECT", "SELECT", "SELECT"]);
  });

  it("calls several statements a SCRIPT and describes each", () => {
    const query = describeQuery(`${DBT_COMMENT}declare x date;\ncreate or replace table \`p.d.t\` as select 1;\n`, defaults);
    expect(query.type).toBe("SCRIPT");
    expect(query.statements.map((s) => s.type)).toEqual(["SCRIPT", "CREATE_TABLE_AS_SELECT"]);
    expect(query.statements[1]!.target).toEqual({ projectId: "p", datasetId: "d", tableId: "t" });
  });
});

describe("rewriteForEmulator", () => {
  it("turns dbt's insert_overwrite script into forms the emulator parses, keeping line numbers", () => {
    const script = `${DBT_COMMENT}    -- generated script
      declare dbt_partitions_for_replacement array<date>;
      -- 2. define partitions to update
      set (dbt_partitions_for_replacement) = (
          select as struct
              array_agg(distinct date(event_date) IGNORE NULLS)
          from \`p\`.\`d\`.\`t__dbt_tmp\`
      );
    merge into \`p\`.\`d\`.\`t\` as DBT_INTERNAL_DEST
        using (
        select
        * from \`p\`.\`d\`.\`t__dbt_tmp\`
      ) as DBT_INTERNAL_SOURCE
        on FALSE`;
    const rewritten = rewriteForEmulator(script);
    expect(rewritten.split("\n").length).toBe(script.split("\n").length);
    expect(rewritten.trimStart().startsWith("declare dbt_partitions_for_replacement array<date>;")).toBe(true);
    expect(rewritten).toContain("set dbt_partitions_for_replacement = (");
    expect(rewritten).not.toContain("as struct");
    expect(rewritten).toMatch(/using `p`\.`d`\.`t__dbt_tmp`\s+as DBT_INTERNAL_SOURCE/);
  });

  it("reads zone-less timestamp strings as UTC, and leaves every other cast alone", () => {
    const sql = [
      "cast('2026-01-01 10:00:00.123456' as timestamp)",
      "safe_cast('''2024-01-01 00:00:01''' as TIMESTAMP)",
      "cast('2024-01-01 10:00:00 UTC' as timestamp)",
      "cast('2024-01-01 10:00:00-07' as timestamp)",
      "cast('2024-01-01' as timestamp)",
      "cast(landed_at as timestamp)",
      "cast('2024-01-01 10:00:00' as datetime)",
    ].join(", ");
    expect(rewriteForEmulator(`select ${sql}`)).toBe(`select ${[
      "cast('2026-01-01 10:00:00.123456+00:00' as timestamp)",
      "safe_cast('''2024-01-01 00:00:01+00:00''' as TIMESTAMP)",
      "cast('2024-01-01 10:00:00 UTC' as timestamp)",
      "cast('2024-01-01 10:00:00-07' as timestamp)",
      "cast('2024-01-01' as timestamp)",
      "cast(landed_at as timestamp)",
      "cast('2024-01-01 10:00:00' as datetime)",
    ].join(", ")}`);
  });

  it("does not touch look-alikes inside strings and comments", () => {
    const sql = "select 'using (select * from t)', \"set (x) = (select as struct 1)\" -- cast('2024-01-01 10:00:00' as timestamp)";
    expect(rewriteForEmulator(sql)).toBe(sql);
  });
});
