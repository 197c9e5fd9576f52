import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import type { BigQueryConfig } from "../../lib/bigquery/config.ts";
import { BigQueryInsertError } from "../../lib/bigquery/errors.ts";
import { RAW_TABLE } from "../../lib/bigquery/schema.ts";
import { BigQuerySink, type BigQuerySinkOptions } from "../../lib/sinks/bigquery.ts";
import { queryEmulator, sampleRows, startBigQueryEmulator, type BigQueryEmulator } from "../support/bigquery-emulator.ts";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy.ts";

const TOPIC = "ecom_events";
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 6, maxElapsedMs: 10_000 };
let emulator: BigQueryEmulator;
let proxy: FaultProxy;
let config: BigQueryConfig;

beforeAll(async () => {
  emulator = await startBigQueryEmulator();
  proxy = startFaultProxy(emulator.endpoint);
  config = { projectId: emulator.projectId, dataset: "faults", location: "US", apiEndpoint: proxy.url };
  await sink().open();
});

afterEach(() => proxy.reset());

afterAll(async () => {
  await proxy?.stop();
  await emulator?.stop();
});

function sink(options: Partial<BigQuerySinkOptions> = {}): BigQuerySink {
  return new BigQuerySink({ topic: TOPIC, config, maxRows: 100, retry: FAST_RETRY, ...options });
}

/** Rows of one Kafka partition as the emulator holds them: how many, and how many distinct offsets. */
async function landed(partition: number): Promise<{ n: string | null; offsets: string | null }> {
  const [row] = await queryEmulator(
    emulator,
    `select count(*) as n, count(distinct _kafka_offset) as offsets
     from ${config.dataset}.${RAW_TABLE} where _kafka_partition = ${partition}`,
  );
  return row as { n: string | null; offsets: string | null };
}

const statuses = () => proxy.log.insertAll.map((request) => request.status);

describe("BigQuerySink.write against a faulty endpoint", () => {
  it("retries insertAll calls answered 503, with the same insertIds, and lands every row once", async () => {
    proxy.faults.unavailable = 3;
    const writer = sink();
    await writer.open();

    const result = await writer.write(sampleRows(250, { partition: 1 }));

    expect(result).toEqual({ written: 250, rejected: [] });
    expect(statuses().filter((s) => s === 503)).toHaveLength(3);
    expect(statuses().filter((s) => s === 200)).toHaveLength(3);
    expect(writer.stats.retries).toBe(3);
    // A retried request carries exactly the insertIds of the failed one: topic-partition-offset.
    const byFirstId = Map.groupBy(proxy.log.insertAll, (request) => request.insertIds[0]);
    for (const attempts of byFirstId.values()) {
      for (const attempt of attempts) expect(attempt.insertIds).toEqual(attempts[0]!.insertIds);
    }
    expect(proxy.log.insertAll[0]!.insertIds[0]).toMatch(/^ecom_events-1-\d+$/);
    expect(await landed(1)).toEqual({ n: "250", offsets: "250" });
  });

  it("retries a request that times out", async () => {
    proxy.faults.stalled = 1;
    proxy.faults.stallMs = 2_500;
    const writer = sink({ requestTimeoutMs: 1_000 });
    await writer.open();

    const result = await writer.write(sampleRows(50, { partition: 2 }));

    expect(result.written).toBe(50);
    expect(proxy.log.insertAll).toHaveLength(2);
    expect(await landed(2)).toEqual({ n: "50", offsets: "50" });
  });

  it("splits requests the API finds too large until they fit", async () => {
    proxy.faults.maxBodyBytes = 40_000;
    const writer = sink({ maxRows: 500 });
    await writer.open();

    const result = await writer.write(sampleRows(400, { partition: 3 }));

    expect(result).toEqual({ written: 400, rejected: [] });
    expect(statuses()).toContain(413);
    expect(writer.stats.splits).toBeGreaterThanOrEqual(3);
    for (const request of proxy.log.insertAll.filter((r) => r.status === 200)) {
      expect(request.bytes).toBeLessThanOrEqual(40_000);
    }
    expect(await landed(3)).toEqual({ n: "400", offsets: "400" });
  });

  it("rejects a row too large to be sent on its own, and only that row", async () => {
    const rows = sampleRows(4, { partition: 4 });
    rows[2]!.brand = "x".repeat(2_000);
    proxy.faults.maxBodyBytes = 1_500;
    proxy.faults.tooLargeAs = 400;
    const writer = sink();
    await writer.open();

    const result = await writer.write(rows);

    expect(result.written).toBe(3);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.row._kafka_offset).toBe(2);
    expect(result.rejected[0]!.reason).toBe(
      "row too large for one insertAll request: 400 Request payload size exceeds the limit: 1500 bytes.",
    );
    expect(await landed(4)).toEqual({ n: "3", offsets: "3" });
  });

  it("rejects exactly the invalid rows, retries the stopped ones and lands them once", async () => {
    const isInvalid = (offset: number) => offset % 50 === 7;
    proxy.faults.invalid = (json) =>
      isInvalid(Number(json._kafka_offset)) ? `injected: row ${json._kafka_offset} is invalid` : undefined;
    const writer = sink();
    await writer.open();

    const result = await writer.write(sampleRows(300, { partition: 5 }));

    const invalidOffsets = [7, 57, 107, 157, 207, 257];
    expect(result.written).toBe(294);
    expect(result.rejected.map((r) => r.row._kafka_offset).sort((a, b) => a - b)).toEqual(invalidOffsets);
    expect(result.rejected[0]!.reason).toMatch(/^invalid: injected: row \d+ is invalid$/);
    // Each of the 3 requests: once with its invalid rows (all rows refused), once without.
    expect(proxy.log.insertAll).toHaveLength(6);
    expect(await landed(5)).toEqual({ n: "294", offsets: "294" });
    const [leaked] = await queryEmulator(
      emulator,
      `select count(*) as n from ${config.dataset}.${RAW_TABLE}
       where _kafka_partition = 5 and _kafka_offset in (${invalidOffsets.join(",")})`,
    );
    expect(leaked).toEqual({ n: "0" });
  });

  it("throws once transient failures outlast the retry budget, and writes nothing", async () => {
    proxy.faults.unavailable = 1_000;
    const writer = sink({ retry: { ...FAST_RETRY, maxAttempts: 3 } });
    await writer.open();

    const error = await writer.write(sampleRows(100, { partition: 6 })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BigQueryInsertError);
    expect((error as Error).message).toBe(
      "insertAll kept failing: 503 injected: service unavailable (100 rows from insertId ecom_events-6-0, 3 attempts)",
    );
    expect(proxy.log.insertAll).toHaveLength(3);
    expect(await landed(6)).toEqual({ n: "0", offsets: "0" });
  });

  it("(emulator) keeps rows with duplicate insertIds, so the exactly-once checks above mean something", async () => {
    const writer = sink();
    await writer.open();
    const rows = sampleRows(10, { partition: 7 });

    await writer.write(rows);
    await writer.write(rows);

    // Real BigQuery drops a repeated insertId on a best-effort basis (about a minute); the emulator never does.
    expect(await landed(7)).toEqual({ n: "20", offsets: "10" });
  });
});
