import { describe, expect, it } from "bun:test";
import { ecomEventType } from "../../lib/events/avro/schema.ts";
import type { EcomEvent } from "../../lib/events/event.ts";
import { RowColumnsBuilder } from "../../lib/consume/columns-builder.ts";
import { FastEcomEventReader } from "../../lib/consume/fast-decode.ts";
import { clean } from "../../lib/consume/transform.ts";
import { RowBatch } from "../../lib/sinks/sink.ts";

const event: EcomEvent = {
  event_time: 1_600_948_626_000_000,
  event_type: "view",
  product_id: "1996170",
  category_id: "2144415922528452715",
  category_code: "electronics.telephone",
  brand: "samsung",
  price: 31.9,
  user_id: "1515915625519388267",
  user_session: "LJuJVLEjPT",
};

/** Avro bodies laid end to end in one buffer, as a consumed Kafka batch holds them (with a gap). */
function frame(events: EcomEvent[]): { buffer: Uint8Array; ranges: [number, number][] } {
  const bodies = events.map((e) => ecomEventType().toBuffer(e));
  const buffer = new Uint8Array(bodies.reduce((sum, body) => sum + body.length + 3, 0));
  const ranges: [number, number][] = [];
  let at = 0;
  for (const body of bodies) {
    at += 3; // a key or header between values
    buffer.set(body, at);
    ranges.push([at, at + body.length]);
    at += body.length;
  }
  return { buffer, ranges };
}

/** Decodes every framed event; returns the committed rows as objects and the problems. */
function decode(events: EcomEvent[]) {
  const { buffer, ranges } = frame(events);
  const builder = new RowColumnsBuilder(events.length, buffer);
  const reader = new FastEcomEventReader();
  const problems = ranges.map(([start, end], i) => reader.read(builder, start, end, 2, 100 + i, 7));
  const columns = builder.finish();
  return { columns, rows: new RowBatch([columns]).toRows(), problems };
}

describe("FastEcomEventReader", () => {
  it("decodes events into columns that point into the batch's buffer", () => {
    const { columns, rows, problems } = decode([event, { ...event, category_code: null, brand: null, price: null, user_session: null }]);
    expect(problems).toEqual([null, null]);
    expect(rows).toEqual([
      { ...event, _kafka_partition: 2, _kafka_offset: 100, _ingested_at: 7 },
      { ...event, category_code: null, brand: null, price: null, user_session: null, _kafka_partition: 2, _kafka_offset: 101, _ingested_at: 7 },
    ]);
    // No copy: the first row's product_id is the Avro string's own bytes.
    const at = columns.starts[1]![0]!;
    expect(Buffer.from(columns.text.subarray(at, at + 7)).toString()).toBe("1996170");
  });

  it("trims strings like String#trim and stores '' and blanks as NULL", () => {
    const { rows, problems } = decode([
      { ...event, brand: "  apple\t", category_code: "", user_session: " \r\n ", product_id: " 42 " },
      { ...event, brand: "\u0001kept\u0001" },
    ]);
    expect(problems).toEqual([null, null]);
    expect(rows[0]).toMatchObject({ brand: "apple", category_code: null, user_session: null, product_id: "42" });
    // Control characters other than whitespace are not trimmed (neither does String#trim).
    expect(rows[1]!.brand).toBe("\u0001kept\u0001");
  });

  it("keeps non-ASCII text exactly and cleans it like transform.ts's clean()", () => {
    const values = ["Ünïcødé 品牌 🚀", "\u00a0électro\u3000", " électro\u3000 ", "\u3000"];
    const { rows, problems } = decode(values.map((brand) => ({ ...event, brand })));
    expect(problems).toEqual([null, null, null, null]);
    expect(rows.map((row) => row.brand)).toEqual(values.map(clean));
    expect(rows.map((row) => row.brand)).toEqual(["Ünïcødé 品牌 🚀", "\u00a0électro\u3000", "électro", "\u3000"]);
  });

  it("turns invalid UTF-8 into U+FFFD, so only valid UTF-8 reaches a sink", () => {
    const body = Buffer.from(ecomEventType().toBuffer({ ...event, brand: "abc" }));
    const at = body.indexOf("abc");
    body[at + 1] = 0xff;
    const builder = new RowColumnsBuilder(1, body);
    expect(new FastEcomEventReader().read(builder, 0, body.length, 0, 0, 0)).toBeNull();
    expect(RowBatch.row(builder.finish(), 0).brand).toBe("a\ufffdc");
  });

  it("returns the reason and drops the row when an event cannot land", () => {
    const { rows, problems } = decode([{ ...event, event_type: "  " }, event, { ...event, price: -1 }, { ...event, user_id: "" }]);
    expect(problems).toEqual(["event_type is empty", null, "price -1 must be a finite number ≥ 0", "user_id is empty"]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!._kafka_offset).toBe(101);
  });

  it("throws a RangeError on a truncated or overlong body", () => {
    const body = ecomEventType().toBuffer(event);
    const reader = new FastEcomEventReader();
    expect(() => reader.read(new RowColumnsBuilder(1, body), 0, body.length - 3, 0, 0, 0)).toThrow(RangeError);
    const longer = new Uint8Array([...body, 0]);
    expect(() => reader.read(new RowColumnsBuilder(1, longer), 0, longer.length, 0, 0, 0)).toThrow("1 bytes left after the record");
  });
});
