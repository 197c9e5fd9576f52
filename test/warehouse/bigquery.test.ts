import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createBigQueryClient } from "../../lib/bigquery/client.ts";
import type { BigQueryConfig } from "../../lib/bigquery/config.ts";
import { formatTimestamp, openBigQueryWarehouse } from "../../lib/warehouse/bigquery.ts";
import { NoDataError, QueryError } from "../../lib/warehouse/warehouse.ts";
import { startBigQueryEmulator, type BigQueryEmulator } from "../support/bigquery-emulator.ts";

describe("openBigQueryWarehouse (goccy/bigquery-emulator)", () => {
  let emulator: BigQueryEmulator;
  let config: BigQueryConfig;

  beforeAll(async () => {
    emulator = await startBigQueryEmulator("warehouse-test");
    config = { projectId: emulator.projectId, dataset: "ecom_events", location: "US", apiEndpoint: emulator.endpoint };
    const client = createBigQueryClient(config);
    const [dataset] = await client.createDataset("ecom_events", { location: "US" });
    const [table] = await dataset.createTable("kafka_ecom_events", {
      schema: {
        fields: [
          { name: "event_time", type: "TIMESTAMP" },
          { name: "event_type", type: "STRING" },
          { name: "category_id", type: "STRING" },
          { name: "price", type: "FLOAT64" },
          { name: "_kafka_offset", type: "INT64" },
        ],
      },
    });
    await table.insert(
      Array.from({ length: 25 }, (_, i) => ({
        event_time: "2020-09-24 11:57:06.123456 UTC",
        event_type: i % 5 === 0 ? "purchase" : "view",
        category_id: i % 2 === 0 ? null : "2144415922528452715",
        price: i % 3 === 0 ? null : 31.9,
        _kafka_offset: i,
      })),
    );
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it("queries the configured dataset unqualified and converts values by the schema", async () => {
    const warehouse = openBigQueryWarehouse(config);
    const result = await warehouse.query(
      `select event_type, count(*) as n, max(event_time) as last_at, max(category_id) as category_id,
              sum(price) is null as no_price, 9007199254740993 as big
       from kafka_ecom_events group by event_type order by n desc`,
    );
    expect(result.columns.map((column) => [column.name, column.type, column.numeric])).toEqual([
      ["event_type", "STRING", false],
      ["n", "INTEGER", true],
      ["last_at", "TIMESTAMP", false],
      ["category_id", "STRING", false],
      ["no_price", "BOOLEAN", false],
      ["big", "INTEGER", true],
    ]);
    expect(result.rows).toEqual([
      ["view", 20, "2020-09-24 11:57:06.123456 UTC", "2144415922528452715", false, 9007199254740993n],
      ["purchase", 5, "2020-09-24 11:57:06.123456 UTC", "2144415922528452715", false, 9007199254740993n],
    ]);
    expect(result.totalRows).toBe(2);
    await warehouse.close();
  });

  it("reads at most maxRows rows and takes the total from the job", async () => {
    const warehouse = openBigQueryWarehouse(config);
    const result = await warehouse.query("select _kafka_offset from kafka_ecom_events order by 1", { maxRows: 4 });
    expect(result.rows).toEqual([[0], [1], [2], [3]]);
    expect(result.totalRows).toBe(25);
  });

  it("reports BigQuery's message for a bad query", async () => {
    const warehouse = openBigQueryWarehouse(config);
    await expect(warehouse.query("select no_such_column from kafka_ecom_events")).rejects.toBeInstanceOf(QueryError);
  });
});

describe("openBigQueryWarehouse before anything landed", () => {
  let emulator: BigQueryEmulator;

  beforeAll(async () => {
    // A fresh emulator: it resolves unqualified names across datasets, so no other table may exist.
    emulator = await startBigQueryEmulator("empty-test");
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it("says no data landed yet when the raw table does not exist", async () => {
    const config = { projectId: emulator.projectId, dataset: "ecom_events", location: "US", apiEndpoint: emulator.endpoint };
    await createBigQueryClient(config).createDataset("ecom_events", { location: "US" });
    const error = await openBigQueryWarehouse(config)
      .query("select count(*) from kafka_ecom_events")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoDataError);
    expect((error as Error).message).toContain("no data landed yet: run just consume");
  });
});

describe("formatTimestamp", () => {
  it("prints microseconds since the epoch and float seconds as UTC text", () => {
    expect(formatTimestamp("1600948626123456")).toBe("2020-09-24 11:57:06.123456 UTC");
    expect(formatTimestamp("1600948626000000")).toBe("2020-09-24 11:57:06 UTC");
    expect(formatTimestamp("-1")).toBe("1969-12-31 23:59:59.999999 UTC");
    expect(formatTimestamp("1.6009486261E9")).toBe("2020-09-24 11:57:06.1 UTC");
  });
});
