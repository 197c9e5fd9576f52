import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { copyFileSql, createStageSql, rowsByFile, stageRows } from "../../lib/sinks/parquet-stage.ts";
import { RowBatch, type RawRow } from "../../lib/sinks/sink.ts";
import { tempWarehouse } from "./parquet-support.ts";
import { makeRows } from "./parquet-rows.ts";

/** Strings around the 12-byte inline limit of duckdb_string_t, and the awkward ones. */
const BRANDS = ["", "a", "twelve bytes", "thirteen byte", "Ünïcødé 品牌 🚀 and then some", "\u0000nul\u0000", null];

/** Rows as the table holds them, by coordinates, in the RawRow shape. */
async function readBack(connection: DuckDBConnection, table: string): Promise<RawRow[]> {
  const result = await connection.runAndReadAll(
    `select epoch_us(event_time), event_type, product_id, category_id, category_code, brand, price, user_id, user_session,
            _kafka_partition, _kafka_offset, epoch_us(_ingested_at) from ${table} order by _kafka_partition, _kafka_offset`,
  );
  return result.getRows().map((r) => ({
    event_time: Number(r[0]),
    event_type: r[1] as string,
    product_id: r[2] as string,
    category_id: r[3] as string | null,
    category_code: r[4] as string | null,
    brand: r[5] as string | null,
    price: r[6] as number | null,
    user_id: r[7] as string,
    user_session: r[8] as string | null,
    _kafka_partition: Number(r[9]),
    _kafka_offset: Number(r[10]),
    _ingested_at: Number(r[11]),
  }));
}

const byCoordinates = (a: RawRow, b: RawRow) => a._kafka_partition - b._kafka_partition || a._kafka_offset - b._kafka_offset;

describe("stageRows", () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    connection = await instance.connect();
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  it("stages every value exactly, though the buffers the strings pointed into are overwritten right after", async () => {
    // Two parts (two consumed batches), each over several 2048-row chunks, with NULLs only in
    // some chunks: a chunk must not inherit the previous one's NULLs.
    const parts = [0, 1].map((p) =>
      makeRows({ count: 5000, seed: 70 + p, partitions: 1, firstOffset: p * 10_000, ingestedAt: 1_700_000_000_000_000 + p }).map((row, i) => ({
        ...row,
        brand: i < 2048 ? BRANDS[i % BRANDS.length]! : `brand number ${i}`,
        category_code: i >= 4096 ? null : row.category_code,
        price: i % 3 === 0 && i < 3000 ? null : row.price,
      })),
    );
    const batch = new RowBatch(parts.map((rows) => RowBatch.fromRows(rows).parts[0]!));
    // Every row to file 0, except a few left out (as rejected rows are).
    const fileOf = batch.parts.map((part) => new Int32Array(part.length).map((_, i) => (i % 1000 === 999 ? -1 : 0)));
    await connection.run(createStageSql("stage_test"));
    await stageRows(connection, "stage_test", batch, fileOf);
    for (const part of batch.parts) part.text.fill(0x58);

    const expected = parts.flat().filter((row) => row._kafka_offset % 10_000 % 1000 !== 999);
    expect(await readBack(connection, "stage_test")).toEqual(expected.sort(byCoordinates));
  });

  it("copies one planned file, sorted by the clustering columns", async () => {
    const rows = makeRows({ count: 3000, seed: 80, partitions: 2 });
    const batch = RowBatch.fromRows(rows);
    await connection.run(createStageSql("stage_copy"));
    await stageRows(connection, "stage_copy", batch, [new Int32Array(rows.length).map((_, i) => i % 2)]);
    const warehouse = tempWarehouse();
    try {
      const path = `${warehouse.dir}/one.parquet`;
      const copied = await connection.run(copyFileSql("stage_copy", 1, path, 1));
      expect(Number(copied.rowsChanged)).toBe(1500);
      const read = await connection.runAndReadAll(`select event_type, product_id, category_code, _kafka_partition from read_parquet('${path}')`);
      const got = read.getRows();
      const key = (r: unknown[]) => [r[0], r[1], r[2] ?? "\uffff"] as string[];
      const sorted = [...got].sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        return x[0]! < y[0]! ? -1 : x[0]! > y[0]! ? 1 : x[1]! < y[1]! ? -1 : x[1]! > y[1]! ? 1 : x[2]! < y[2]! ? -1 : x[2]! > y[2]! ? 1 : 0;
      });
      expect(got.map(key)).toEqual(sorted.map(key));
      // File 1 is every other row: with 2 partitions round-robin, exactly partition 1's.
      expect(new Set(got.map((r) => Number(r[3])))).toEqual(new Set([1]));
    } finally {
      warehouse.remove();
    }
  });
});

describe("rowsByFile", () => {
  it("groups row indices by file, keeping arrival order inside a file and leaving rejected rows out", () => {
    const { rows, starts } = rowsByFile(Int32Array.from([2, 0, -1, 2, 1, 0]), 6, 4);
    expect([...starts]).toEqual([0, 2, 3, 5, 5]);
    expect([...rows]).toEqual([1, 5, 4, 0, 3]);
  });
});

describe("RowBatch", () => {
  it("turns row objects into columns and back unchanged", () => {
    const rows = [...makeRows({ count: 50, seed: 90 }), ...BRANDS.map((brand, i) => ({ ...makeRows({ count: 1, seed: i })[0]!, brand, price: i ? -0 : null }))];
    const back = RowBatch.fromRows(rows).toRows();
    expect(back).toEqual(rows);
    expect(Object.is(back.at(-1)!.price, -0)).toBe(true);
  });
});
