import { describe, expect, it } from "bun:test";
import { CsvHeaderError, indexColumns } from "../../../lib/events/csv/header.ts";
import { CSV_COLUMNS } from "../../../lib/events/event.ts";

describe("indexColumns", () => {
  it("maps the reference header to positions 0..8", () => {
    const idx = indexColumns("f.csv", [...CSV_COLUMNS]);
    expect(idx.positions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(idx.width).toBe(9);
  });

  it("accepts any order and surrounding spaces", () => {
    const header = [" user_id", "price ", ...CSV_COLUMNS.filter((c) => c !== "user_id" && c !== "price").reverse()];
    const idx = indexColumns("f.csv", header);
    expect(idx.positions[CSV_COLUMNS.indexOf("user_id")]).toBe(0);
    expect(idx.positions[CSV_COLUMNS.indexOf("price")]).toBe(1);
  });

  it("names missing, unexpected and duplicate columns", () => {
    const header = [...CSV_COLUMNS.slice(0, 7), "user_id", "user_id", "", "colour"];
    const err = (() => {
      try {
        indexColumns("data/x.csv", header);
      } catch (e) {
        return e as CsvHeaderError;
      }
    })();
    expect(err).toBeInstanceOf(CsvHeaderError);
    expect(err!.missing).toEqual(["user_session"]);
    expect(err!.extra).toEqual(["", "colour"]);
    expect(err!.message).toBe(
      'data/x.csv: bad header (missing column user_session; unexpected columns "", colour; duplicate column user_id). ' +
        `Expected a header with the columns ${CSV_COLUMNS.join(",")} (any order).`,
    );
  });
});
