import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { TableMetadata } from "@google-cloud/bigquery";
import { createBigQueryClient } from "../../lib/bigquery/client.ts";
import type { BigQueryConfig } from "../../lib/bigquery/config.ts";
import { BigQueryTableError, BigQueryUnreachableError } from "../../lib/bigquery/errors.ts";
import { RAW_TABLE } from "../../lib/bigquery/schema.ts";
import { BigQuerySink } from "../../lib/sinks/bigquery.ts";
import { RowBatch } from "../../lib/sinks/sink.ts";
import {
  freePorts,
  LARGE_ID,
  queryEmulator,
  SAMPLE_START_MICROS,
  sampleRows,
  startBigQueryEmulator,
  type BigQueryEmulator,
} from "../support/bigquery-emulator.ts";

const TOPIC = "ecom_events";
let emulator: BigQueryEmulator;
let config: BigQueryConfig;

beforeAll(async () => {
  emulator = await startBigQueryEmulator();
  config = { projectId: emulator.projectId, dataset: "ecom_events", location: "US", apiEndpoint: emulator.endpoint };
});

afterAll(async () => {
  await emulator?.stop();
});

const sinkFor = (overrides: Partial<BigQueryConfig> = {}, options: { maxRows?: number } = {}) =>
  new BigQuerySink({ topic: TOPIC, config: { ...config, ...overrides }, ...options });

describe("BigQuerySink.open", () => {
  it("creates the dataset and the table with the raw schema, partitioning and clustering", async () => {
    await sinkFor().open();

    const client = createBigQueryClient(config);
    const [dataset] = await client.dataset(config.dataset).getMetadata();
    expect(dataset.defaultTableExpirationMs).toBeUndefined();
    const table = (await client.dataset(config.dataset).table(RAW_TABLE).getMetadata())[0] as TableMetadata;
    expect(table.schema?.fields?.map((f) => `${f.name} ${f.type} ${f.mode}`)).toEqual([
      "event_time TIMESTAMP NULLABLE",
      "event_type STRING NULLABLE",
      "product_id STRING NULLABLE",
      "category_id STRING NULLABLE",
      "category_code STRING NULLABLE",
      "brand STRING NULLABLE",
      "price FLOAT64 NULLABLE",
      "user_id STRING NULLABLE",
      "user_session STRING NULLABLE",
      "_kafka_partition INT64 NULLABLE",
      "_kafka_offset INT64 NULLABLE",
      "_ingested_at TIMESTAMP NULLABLE",
    ]);
    expect(table.timePartitioning).toEqual({ type: "DAY", field: "event_time" });
    expect(table.clustering).toEqual({ fields: ["event_type", "product_id", "category_code"] });
    expect(table.expirationTime).toBeUndefined();
  });

  it("opens again, and from several sinks at once, without error", async () => {
    await sinkFor().open();
    const fresh = { dataset: "ecom_events_concurrent" };
    await Promise.all([sinkFor(fresh).open(), sinkFor(fresh).open(), sinkFor(fresh).open()]);
  });

  it("refuses an existing table whose schema differs, listing every difference", async () => {
    const client = createBigQueryClient(config);
    await client.createDataset("legacy", { location: "US" });
    // The original pipeline's table: no Kafka coordinates, price as a string, no clustering.
    await client.dataset("legacy").createTable(RAW_TABLE, {
      schema: {
        fields: [
          { name: "event_time", type: "TIMESTAMP" },
          { name: "event_type", type: "STRING" },
          { name: "product_id", type: "STRING" },
          { name: "category_id", type: "STRING" },
          { name: "category_code", type: "STRING" },
          { name: "brand", type: "STRING" },
          { name: "price", type: "STRING" },
          { name: "user_id", type: "STRING" },
          { name: "user_session", type: "STRING", mode: "REQUIRED" },
          { name: "loaded_by", type: "STRING" },
        ],
      },
      timePartitioning: { type: "DAY", field: "event_time" },
    });

    const error = await sinkFor({ dataset: "legacy" }).open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigQueryTableError);
    expect((error as BigQueryTableError).differences).toEqual([
      "column price is STRING NULLABLE, expected FLOAT64 NULLABLE",
      "column user_session is STRING REQUIRED, expected STRING NULLABLE",
      "column _kafka_partition INT64 is missing",
      "column _kafka_offset INT64 is missing",
      "column _ingested_at TIMESTAMP is missing",
      "unexpected column loaded_by STRING",
      "clustering is none, expected event_type, product_id, category_code",
    ]);
    expect((error as Error).message).toContain(`bq rm -t ${config.projectId}:legacy.${RAW_TABLE}`);
  });

  it("refuses a dataset with a default table expiration (the original's one-hour bug)", async () => {
    const client = createBigQueryClient(config);
    await client.createDataset("expiring", { location: "US", defaultTableExpirationMs: String(3_600_000) });

    const error = await sinkFor({ dataset: "expiring" }).open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigQueryTableError);
    expect((error as Error).message).toContain("default table expiration of 1 h");
  });

  it("fails fast with a clear error when the endpoint is unreachable", async () => {
    const [closedPort] = freePorts(1);
    const endpoint = `http://127.0.0.1:${closedPort}`;
    const started = performance.now();
    const error = await sinkFor({ apiEndpoint: endpoint }).open().catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(BigQueryUnreachableError);
    expect((error as Error).message).toContain(endpoint);
    expect((error as Error).message).toContain("ECONNREFUSED");
  });
});

describe("BigQuerySink.write", () => {
  it("writes rows that read back with NULLs, ids above 2^53 and microsecond event times intact", async () => {
    const sink = sinkFor({}, { maxRows: 500 });
    await sink.open();
    const rows = sampleRows(1_234, { partition: 3 });

    const result = await sink.write(rows);

    expect(result).toEqual({ written: 1_234, rejected: [] });
    expect(sink.stats.requests).toBe(3);
    const table = `${config.dataset}.${RAW_TABLE}`;
    const [summary] = await queryEmulator(
      emulator,
      `select count(*) as n, count(distinct _kafka_offset) as offsets,
              countif(category_id is null) as no_category, countif(brand is null) as no_brand,
              countif(price is null) as no_price, countif(user_session is null) as no_session,
              countif(category_id = '${LARGE_ID}') as large_ids, min(_kafka_partition) as part
       from ${table} where _kafka_partition = 3`,
    );
    const expectNulls = (every: number) => String(rows.filter((_, i) => i % every === 0).length);
    expect(summary).toEqual({
      n: "1234",
      offsets: "1234",
      no_category: expectNulls(3),
      no_brand: expectNulls(5),
      no_price: expectNulls(7),
      no_session: expectNulls(11),
      large_ids: String(1234 - Number(expectNulls(3))),
      part: "3",
    });

    const [row] = await queryEmulator(
      emulator,
      `select cast(unix_micros(event_time) as string) as micros, user_id, product_id, event_type, price,
              format_timestamp('%F %H:%M:%E6S', event_time) as shown
       from ${table} where _kafka_partition = 3 and _kafka_offset = 1`,
    );
    expect(row).toEqual({
      micros: String(SAMPLE_START_MICROS + 1_000_001),
      user_id: "1515915625519388268",
      product_id: "1996171",
      event_type: "cart",
      price: "32.9",
      shown: "2020-09-24 11:57:07.123457",
    });
  });

  it("returns rows it cannot represent as rejected, with the reason, and writes the others", async () => {
    const sink = sinkFor();
    await sink.open();
    const rows = sampleRows(5, { partition: 4 });
    rows[1]!.price = Number.NaN;
    rows[3]!.event_time = Number.POSITIVE_INFINITY;

    const result = await sink.write(rows);

    expect(result.written).toBe(3);
    expect(result.rejected.map(({ row, reason }) => [row._kafka_offset, reason])).toEqual([
      [1, "price: NaN is not a finite FLOAT64"],
      [3, "event_time: Infinity is not a TIMESTAMP in microseconds between years 0001 and 9999"],
    ]);
    const [count] = await queryEmulator(emulator, `select count(*) as n from ${config.dataset}.${RAW_TABLE} where _kafka_partition = 4`);
    expect(count).toEqual({ n: "3" });
  });

  it("takes the consumer's columnar batches, several parts at once", async () => {
    const sink = sinkFor();
    await sink.open();
    const rows = sampleRows(40, { partition: 5 });
    const batch = new RowBatch([RowBatch.fromRows(rows.slice(0, 25)).parts[0]!, RowBatch.fromRows(rows.slice(25)).parts[0]!]);

    expect(await sink.write(batch)).toEqual({ written: 40, rejected: [] });
    const [count] = await queryEmulator(
      emulator,
      `select count(*) as n, countif(brand is null) as no_brand from ${config.dataset}.${RAW_TABLE} where _kafka_partition = 5`,
    );
    expect(count).toEqual({ n: "40", no_brand: String(rows.filter((row) => row.brand === null).length) });
  });

  it("refuses to write before open()", async () => {
    await expect(sinkFor().write(sampleRows(1))).rejects.toThrow("before open()");
  });
});
