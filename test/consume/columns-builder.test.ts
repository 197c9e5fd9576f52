import { describe, expect, it } from "bun:test";
import { RowColumnsBuilder } from "../../lib/consume/columns-builder.ts";
import { RowBatch, type RawRow } from "../../lib/sinks/sink.ts";

const row = (i: number, brand: string | null): RawRow => ({
  event_time: 1_600_000_000_000_000 + i,
  event_type: "view",
  product_id: `p${i}`,
  category_id: null,
  category_code: "x".repeat(i * 5),
  brand,
  price: i === 1 ? null : i + 0.5,
  user_id: `u${i}`,
  user_session: "s",
  _kafka_partition: 3,
  _kafka_offset: 40 + i,
  _ingested_at: 9,
});

describe("RowColumnsBuilder", () => {
  it("keeps strings that are not in the batch's buffer in a side buffer appended by finish()", () => {
    const text = new TextEncoder().encode("ABCDEFGH");
    const builder = new RowColumnsBuilder(4, text);
    // A string pointing into the buffer, next to rows from objects (the avsc path).
    builder.setString(0, "view");
    builder.starts[1]![0] = 2;
    builder.lengths[1]![0] = 3;
    for (const field of [2, 3, 4, 5, 6]) builder.setString(field, field === 4 ? "品牌" : null);
    builder.commit(1, 2.5, 0, 7, 9);
    const rows = [row(1, "Ünï"), row(2, null), row(3, "")];
    for (const r of rows) builder.addRow(r);
    const columns = builder.finish();

    expect(columns.length).toBe(4);
    expect(Buffer.from(columns.text.subarray(0, 8)).toString()).toBe("ABCDEFGH");
    const batch = new RowBatch([columns]);
    expect(batch.toRows()).toEqual([
      { event_time: 1, event_type: "view", product_id: "CDE", category_id: null, category_code: null, brand: "品牌", price: 2.5, user_id: null as unknown as string, user_session: null, _kafka_partition: 0, _kafka_offset: 7, _ingested_at: 9 },
      ...rows,
    ]);
  });

  it("counts only committed rows", () => {
    const builder = new RowColumnsBuilder(3, new Uint8Array(0));
    builder.setString(0, "dropped");
    builder.addRow(row(1, "kept"));
    expect(builder.finish().length).toBe(1);
  });
});
