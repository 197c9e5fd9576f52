#!/usr/bin/env bun
/**
 * Throughput of BigQuerySink.write into goccy/bigquery-emulator (NOT BigQuery: the emulator stores
 * rows in SQLite on this machine's CPUs, so numbers compare settings, not production rates).
 * Each setting gets a fresh emulator. Also times the client-side cost of building insertAll
 * bodies our way (pre-serialised string through table.request) against `table.insert({raw: true})`.
 *
 *   bun test/sinks/bigquery.bench.ts [--rows 100000] [--concurrency 1,2,4,8] [--max-rows 500]
 */
import { parseArgs } from "node:util";
import { createBigQueryClient } from "../../lib/bigquery/client.ts";
import { encodeRows } from "../../lib/bigquery/encode.ts";
import { chunkRows, insertAllBody } from "../../lib/bigquery/insert.ts";
import { RAW_TABLE } from "../../lib/bigquery/schema.ts";
import { BigQuerySink } from "../../lib/sinks/bigquery.ts";
import { queryEmulator, sampleRows, startBigQueryEmulator } from "../support/bigquery-emulator.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    concurrency: { type: "string", default: "1,2,4,8" },
    "max-rows": { type: "string", default: "500" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log("usage: bun test/sinks/bigquery.bench.ts [--rows N] [--concurrency 1,2,4,8] [--max-rows 500]");
  process.exit(0);
}
const total = Number(values.rows);
const maxRows = Number(values["max-rows"]);
const rows = sampleRows(total);

// Client-side body building: ours vs the library's insert({raw: true}) preparation, no network.
{
  const started = performance.now();
  const { encoded } = encodeRows(rows, "ecom_events");
  let bytes = 0;
  for (const chunk of chunkRows(encoded, maxRows, 9_000_000)) bytes += insertAllBody(chunk).length;
  const ours = performance.now() - started;
  console.error(`encode+chunk+body (ours): ${ours.toFixed(0)} ms for ${total} rows, ${(bytes / total).toFixed(0)} B/row`);
}

// Client overhead end to end (HTTP included) against a server that accepts anything at once.
{
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: async (request) => {
    await request.arrayBuffer();
    return Response.json(request.method === "GET" && !request.url.includes("/tables/") ? { location: "US" } : {});
  } });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const config = { projectId: "bench", dataset: "bench", location: "US", apiEndpoint: endpoint };
  const sink = new BigQuerySink({ topic: "ecom_events", config, maxRows, concurrency: 4 });
  (sink as unknown as { opened: boolean }).opened = true; // the null server cannot hold a table
  let started = performance.now();
  await sink.write(rows);
  console.log(`null server, ours:        ${Math.round(total / ((performance.now() - started) / 1000))} rows/s`);
  const table = createBigQueryClient(config).dataset("bench").table(RAW_TABLE);
  started = performance.now();
  const { encoded } = encodeRows(rows, "ecom_events");
  const chunks = chunkRows(encoded, maxRows, 9_000_000).map((chunk) => chunk.map((row) => JSON.parse(row.entry)));
  const prepared = performance.now() - started;
  started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < chunks.length) await table.insert(chunks[next++]!, { raw: true, partialRetries: 0 });
  }));
  console.log(`null server, insert(raw): ${Math.round(total / ((performance.now() - started) / 1000))} rows/s (+${prepared.toFixed(0)} ms to shape rows, not counted)`);
  await server.stop(true);
}

for (const concurrency of values.concurrency.split(",").map(Number)) {
  const emulator = await startBigQueryEmulator("bench");
  try {
    const config = { projectId: "bench", dataset: "bench", location: "US", apiEndpoint: emulator.endpoint };
    const sink = new BigQuerySink({ topic: "ecom_events", config, maxRows, concurrency });
    await sink.open();
    const started = performance.now();
    const result = await sink.write(rows);
    const seconds = (performance.now() - started) / 1000;
    const [count] = await queryEmulator(emulator, `select count(*) as n from bench.${RAW_TABLE}`);
    console.log(
      `ours        concurrency=${concurrency} maxRows=${maxRows}: ${result.written} rows in ${seconds.toFixed(2)} s = ` +
        `${Math.round(result.written / seconds)} rows/s (table has ${count?.n}; ${sink.stats.requests} requests)`,
    );

    // The same rows through the library's insert({raw: true}), one request per chunk, same concurrency.
    const client = createBigQueryClient(config);
    const table = client.dataset("bench").table(RAW_TABLE);
    const { encoded } = encodeRows(rows, "ecom_events");
    const chunks = chunkRows(encoded, maxRows, 9_000_000).map((chunk) => chunk.map((row) => JSON.parse(row.entry)));
    const libraryStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < chunks.length) {
          await table.insert(chunks[next++]!, { raw: true, partialRetries: 0, skipInvalidRows: false, ignoreUnknownValues: false });
        }
      }),
    );
    const librarySeconds = (performance.now() - libraryStarted) / 1000;
    console.log(
      `insert(raw) concurrency=${concurrency} maxRows=${maxRows}: ${total} rows in ${librarySeconds.toFixed(2)} s = ` +
        `${Math.round(total / librarySeconds)} rows/s`,
    );
  } finally {
    await emulator.stop();
  }
}
