/**
 * The dashboard's SQL on BigQuery (goccy/bigquery-emulator): the dialect spots (`unix_millis`),
 * NUMERIC revenue, and the empty states. dbt's models are stood in for by small tables with the
 * columns the dashboard reads (dbt on BigQuery is exercised in test/dbt/bigquery.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { BigQuery } from "@google-cloud/bigquery";
import { createBigQueryClient } from "../../lib/bigquery/client.ts";
import { rawTableMetadata } from "../../lib/bigquery/schema.ts";
import { DashboardSource } from "../../lib/dashboard/source.ts";
import { startBigQueryEmulator, type BigQueryEmulator } from "../support/bigquery-emulator.ts";

const DATASET = "ecom_events";
const now = Date.now();
const landedAt = (msAgo: number) => new Date(now - msAgo).toISOString().replace("T", " ").replace("Z", " UTC");

let emulator: BigQueryEmulator;
let client: BigQuery;
let env: Record<string, string>;

/** A fresh source each time: the BigQuery source keeps results for a while, by design. */
const source = () => new DashboardSource({ kind: "bigquery", env });

async function createTable(name: string, fields: [string, string][], rows: Record<string, unknown>[]): Promise<void> {
  const [table] = await client
    .dataset(DATASET)
    .createTable(name, { schema: { fields: fields.map(([field, type]) => ({ name: field, type })) } });
  if (rows.length > 0) await table.insert(rows);
}

beforeAll(async () => {
  emulator = await startBigQueryEmulator("dashboard-test");
  env = { GCP_PROJECT: emulator.projectId, BQ_DATASET: DATASET, BQ_LOCATION: "US", BIGQUERY_API_ENDPOINT: emulator.endpoint };
  client = createBigQueryClient({ projectId: emulator.projectId, dataset: DATASET, location: "US", apiEndpoint: emulator.endpoint });
  await client.createDataset(DATASET, { location: "US" });
}, 30_000);

afterAll(async () => {
  await emulator?.stop();
});

describe("the dashboard on BigQuery", () => {
  it("answers no-data before the raw table exists", async () => {
    const dashboard = source();
    expect((await dashboard.overview()).status).toBe("no-data");
    expect((await dashboard.live()).status).toBe("no-data");
  });

  it("reads the live figures from kafka_ecom_events and asks for just dbt", async () => {
    const [raw] = await client.dataset(DATASET).createTable("kafka_ecom_events", rawTableMetadata());
    await raw.insert(
      [
        ...Array.from({ length: 3 }, () => ({ ingestedAgoMs: 2 * 3_600_000 })),
        ...Array.from({ length: 4 }, () => ({ ingestedAgoMs: 90_000 })),
        ...Array.from({ length: 2 }, () => ({ ingestedAgoMs: 10_000 })),
      ].map(({ ingestedAgoMs }, i) => ({
        event_time: "2020-09-24 11:57:06 UTC",
        event_type: "view",
        user_id: "1515915625519388267",
        _kafka_partition: 0,
        _kafka_offset: i,
        _ingested_at: landedAt(ingestedAgoMs),
      })),
    );
    const dashboard = source();
    const live = await dashboard.live();
    expect(live.status).toBe("ok");
    expect(live.warehouse).toEqual({ kind: "bigquery", location: `${emulator.projectId}.${DATASET}` });
    expect(live.live!.rowsLanded).toBe(9);
    expect(live.live!.recentRows).toBe(6);
    expect(live.live!.perMinute.reduce((sum, point) => sum + point.rows, 0)).toBe(6);
    expect(live.live!.ingestionLagSeconds).toBeCloseTo(10 + (live.live!.nowMs - now) / 1000, 0);
    expect(live.live!.newestEventMs).toBe(Date.UTC(2020, 8, 24, 11, 57, 6));
    const overview = await dashboard.overview();
    expect(overview.status).toBe("no-models");
    expect(overview.commands).toEqual(["just dbt"]);
  });

  it("reads the overview from the core models", async () => {
    await createTable(
      "fct_daily_kpis",
      [
        ["event_date", "DATE"], ["event_count", "INT64"], ["view_count", "INT64"], ["cart_count", "INT64"],
        ["remove_from_cart_count", "INT64"], ["purchase_count", "INT64"], ["revenue", "NUMERIC"],
        ["session_count", "INT64"], ["session_conversion_rate", "FLOAT64"], ["last_ingested_at", "TIMESTAMP"],
      ],
      [
        { event_date: "2020-09-24", event_count: 100, view_count: 90, cart_count: 6, remove_from_cart_count: 1, purchase_count: 3,
          revenue: "120.10", session_count: 10, session_conversion_rate: 0.2, last_ingested_at: "2026-01-01 10:00:00 UTC" },
        { event_date: "2020-09-25", event_count: 50, view_count: 45, cart_count: 3, remove_from_cart_count: 0, purchase_count: 2,
          revenue: "80.05", session_count: 5, session_conversion_rate: 0.4, last_ingested_at: "2026-01-01 11:00:00.250 UTC" },
      ],
    );
    await createTable(
      "fct_sessions",
      [["session_id", "STRING"], ["user_id", "STRING"], ["view_count", "INT64"], ["cart_count", "INT64"], ["purchase_count", "INT64"], ["is_converted", "BOOL"]],
      [
        { session_id: "s1", user_id: "u1", view_count: 5, cart_count: 1, purchase_count: 1, is_converted: true },
        { session_id: "s2", user_id: "u1", view_count: 3, cart_count: 0, purchase_count: 0, is_converted: false },
        { session_id: "s3", user_id: "u2", view_count: 2, cart_count: 2, purchase_count: 0, is_converted: false },
      ],
    );
    await createTable(
      "fct_category_performance",
      [["category_code", "STRING"], ["revenue", "NUMERIC"], ["purchase_count", "INT64"], ["view_count", "INT64"]],
      [
        { category_code: "electronics.smartphone", revenue: "150.00", purchase_count: 3, view_count: 80 },
        { category_code: "computers.notebook", revenue: "40.15", purchase_count: 1, view_count: 40 },
        { category_code: null, revenue: "10.00", purchase_count: 1, view_count: 15 },
      ],
    );
    await createTable(
      "fct_ecommerce_events",
      [["event_type", "STRING"], ["category_code", "STRING"], ["brand", "STRING"], ["revenue", "NUMERIC"], ["event_count", "INT64"]],
      [
        { event_type: "purchase", category_code: "electronics.smartphone", brand: "apple", revenue: "150.00", event_count: 3 },
        { event_type: "purchase", category_code: "computers.notebook", brand: null, revenue: "40.15", event_count: 1 },
        { event_type: "purchase", category_code: null, brand: "asus", revenue: "10.00", event_count: 1 },
        { event_type: "view", category_code: null, brand: "zte", revenue: "0", event_count: 50 },
      ],
    );

    const response = await source().overview();
    expect(response.status).toBe("ok");
    const { kpis, daily, funnel, categories, brands, unattributed } = response.overview!;
    expect(kpis).toEqual({
      events: 150, views: 135, carts: 9, removals: 1, purchases: 5, revenue: 200.15,
      users: 2, sessions: 3, convertedSessions: 1, sessionConversionRate: 1 / 3,
      firstDay: "2020-09-24", lastDay: "2020-09-25", modelsLandedUntilMs: Date.UTC(2026, 0, 1, 11, 0, 0, 250),
    });
    expect(daily.map((point) => [point.date, point.view, point.revenue])).toEqual([["2020-09-24", 90, 120.1], ["2020-09-25", 45, 80.05]]);
    expect(funnel.map((step) => [step.step, step.events, step.sessions])).toEqual([["view", 135, 3], ["cart", 9, 2], ["purchase", 5, 1]]);
    expect(categories.map((item) => [item.name, item.revenue, item.purchases])).toEqual([
      ["electronics.smartphone", 150, 3],
      ["computers.notebook", 40.15, 1],
    ]);
    expect(brands.map((item) => [item.name, item.revenue])).toEqual([["apple", 150], ["asus", 10]]);
    expect(unattributed).toEqual({ noCategoryRevenue: 10, noBrandRevenue: 40.15 });
  });
});
