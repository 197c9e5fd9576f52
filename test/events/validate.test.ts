import { describe, expect, it } from "bun:test";
import { join } from "node:path";
import { indexColumns } from "../../lib/events/csv/header.ts";
import { openCsv } from "../../lib/events/csv/reader.ts";
import { CSV_COLUMNS, type EcomEvent } from "../../lib/events/event.ts";
import { formatRejection, RowProblem, validateRecords, validateRow, type Rejection } from "../../lib/events/validate.ts";

const FIXTURES = join(import.meta.dir, "../fixtures/csv");
const columns = indexColumns("t.csv", [...CSV_COLUMNS]);
const row = (s: string) => s.split(",");
const GOOD = "2020-09-24 11:57:06 UTC,view,1996170,2144415922528452715,electronics.telephone,,31.90,1515915625519388267,LJuJVLEjPT";

async function validateFile(name: string) {
  const source = await openCsv(join(FIXTURES, name));
  const events: EcomEvent[] = [];
  const lines: number[] = [];
  const rejections: Rejection[] = [];
  let records = 0;
  for await (const batch of source.batches()) {
    records += batch.fields.length + batch.errors.length;
    const v = validateRecords(batch, source.columns);
    events.push(...v.events);
    lines.push(...v.lines);
    rejections.push(...v.rejections);
  }
  return { events, lines, rejections, records };
}

describe("validateRow", () => {
  it("turns a reference row into an EcomEvent, empty fields into null", () => {
    expect(validateRow(row(GOOD), columns)).toEqual({
      event_time: Date.parse("2020-09-24T11:57:06Z") * 1000,
      event_type: "view",
      product_id: "1996170",
      category_id: "2144415922528452715",
      category_code: "electronics.telephone",
      brand: null,
      price: 31.9,
      user_id: "1515915625519388267",
      user_session: "LJuJVLEjPT",
    });
  });

  it("accepts an empty price as null and plain decimal forms", () => {
    const at = (price: string) => (validateRow(row(GOOD.replace("31.90", price)), columns) as EcomEvent).price;
    expect(at("")).toBeNull();
    expect(at("0")).toBe(0);
    expect(at("5.")).toBe(5);
    expect(at(".5")).toBe(0.5);
    expect(at("1e3")).toBe(1000);
    expect(at("0.1")).toBe(0.1);
    expect(at("123456789.123456")).toBe(123456789.123456);
  });

  it("names the field and what was expected", () => {
    const reason = (r: string) => (validateRow(row(r), columns) as RowProblem).reason;
    expect(reason(GOOD.replace("31.90", "-3"))).toBe('price "-3" must be a finite number ≥ 0');
    expect(reason(GOOD.replace("31.90", "0x10"))).toBe('price "0x10" must be a finite number ≥ 0');
    expect(reason(GOOD.replace("31.90", "1e999"))).toBe('price "1e999" must be a finite number ≥ 0');
    expect(reason(GOOD.replace("31.90", "NaN"))).toBe('price "NaN" must be a finite number ≥ 0');
    expect(reason(GOOD.replace(",view,", ",VIEW,"))).toBe('event_type "VIEW" must be one of view, cart, remove_from_cart, purchase');
    expect(reason(GOOD.replace(",view,", ",,"))).toBe("event_type is required (one of view, cart, remove_from_cart, purchase)");
    expect(reason(GOOD.replace("2020-09-24 11:57:06 UTC", "1969-12-31 23:59:59 UTC"))).toBe(
      'event_time "1969-12-31 23:59:59 UTC" must be between 1970-01-01 and 2099-12-31',
    );
    expect(reason(GOOD.replace("2020-09-24 11:57:06 UTC", ""))).toContain("event_time is required");
    expect(reason(GOOD + ",x")).toBe("expected 9 columns (as in the header), found 10");
    expect((validateRow(row(GOOD.replace(",1996170,", ",,")), columns) as RowProblem).field).toBe("product_id");
  });

  it("trims surrounding spaces before judging", () => {
    const spaced = row(GOOD).map((f) => ` ${f} `);
    const e = validateRow(spaced, columns) as EcomEvent;
    expect(e.event_type).toBe("view");
    expect(e.price).toBe(31.9);
    expect(e.brand).toBeNull();
    expect(e.user_session).toBe("LJuJVLEjPT");
  });
});

describe("validateRecords on fixtures", () => {
  it("reports every bad row of malformed.csv with its line and reason; counts add up", async () => {
    const { events, lines, rejections, records } = await validateFile("malformed.csv");
    expect(lines).toEqual([2, 15]);
    expect(events.map((e) => e.event_type)).toEqual(["view", "cart"]);
    expect(rejections.map((r) => formatRejection(r))).toEqual([
      'line 3: event_time "2020-13-24 11:57:06 UTC" must be "YYYY-MM-DD HH:MM:SS UTC" or ISO-8601 with a zone (2020-09-24T11:57:06Z, …06.123456Z, …06+00:00)',
      'line 4: event_time "yesterday" must be "YYYY-MM-DD HH:MM:SS UTC" or ISO-8601 with a zone (2020-09-24T11:57:06Z, …06.123456Z, …06+00:00)',
      'line 5: price "abc" must be a finite number ≥ 0',
      'line 6: price "-3" must be a finite number ≥ 0',
      "line 7: expected 9 columns (as in the header), found 8",
      "line 8: expected 9 columns (as in the header), found 10",
      'line 9: event_type "click" must be one of view, cart, remove_from_cart, purchase',
      "line 10: product_id is required",
      "line 11: user_id is required",
      'line 12: price "Infinity" must be a finite number ≥ 0',
      'line 13: event_time "2020-09-24 11:57:15" must be "YYYY-MM-DD HH:MM:SS UTC" or ISO-8601 with a zone (2020-09-24T11:57:06Z, …06.123456Z, …06+00:00)',
      "line 16: unbalanced quote: a quoted field is never closed",
    ]);
    expect(rejections.map((r) => r.field)).toEqual([
      "event_time",
      "event_time",
      "price",
      "price",
      null,
      null,
      "event_type",
      "product_id",
      "user_id",
      "price",
      "event_time",
      null,
    ]);
    expect(rejections[3]!.raw).toBe(
      "2020-09-24 11:57:08 UTC,view,1996170,2144415922528452715,electronics.telephone,,-3,1515915625519388267,LJuJVLEjPT",
    );
    expect(events.length + rejections.length).toBe(records);
    expect(records).toBe(14);
  });

  it("reads quoted commas, doubled quotes, newlines, spaces and non-ASCII", async () => {
    const { events, lines, rejections } = await validateFile("quoted.csv");
    expect(rejections).toEqual([]);
    expect(lines).toEqual([2, 3, 4, 6, 7]);
    expect(events.map((e) => e.brand)).toEqual(["acme, inc.", 'the "best" brand', "two\nlines", null, "brandé"]);
    expect(events[1]!.price).toBe(12.5);
    expect(events[3]!.user_session).toBeNull();
    expect(events[4]).toMatchObject({ event_type: "view", category_id: "2144415922528452715", category_code: null, price: 2.5, user_session: null });
  });

  it("reads columns in another order and ISO times", async () => {
    const { events } = await validateFile("reordered.csv");
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ event_type: "view", product_id: "1996170", price: 31.9, user_id: "1515915625519388267" });
    expect(events[1]!.event_time).toBe(Date.parse("2020-09-24T11:57:26Z") * 1000);
  });

  it("formats a rejection with the file when given", () => {
    expect(formatRejection({ line: 17, field: "price", reason: 'price "-3" must be a finite number ≥ 0', raw: "" }, "data/x.csv")).toBe(
      'data/x.csv:17: price "-3" must be a finite number ≥ 0',
    );
  });
});
