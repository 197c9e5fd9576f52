import { describe, expect, it } from "bun:test";
import { formatCsv, formatJson, formatResult, formatSummary, formatTable } from "../../lib/warehouse/format.ts";
import type { Cell, Column } from "../../lib/warehouse/warehouse.ts";

const columns: Column[] = [
  { name: "event_type", type: "VARCHAR", numeric: false },
  { name: "events", type: "BIGINT", numeric: true },
  { name: "revenue", type: "DOUBLE", numeric: true },
];
const rows: Cell[][] = [
  ["view", 793748n, null],
  ["purchase", 37346n, 1234567.89],
  ["remove_from_cart", 5n, 0.5],
];

describe("formatTable", () => {
  it("aligns columns, right-aligns numbers and shows NULL", () => {
    expect(formatTable(columns, rows)).toBe(
      [
        "event_type       │ events │    revenue",
        "─────────────────┼────────┼───────────",
        "view             │ 793748 │       NULL",
        "purchase         │  37346 │ 1234567.89",
        "remove_from_cart │      5 │        0.5",
      ].join("\n"),
    );
  });

  it("measures wide characters by their terminal width and escapes control characters", () => {
    const table = formatTable(
      [
        { name: "brand", type: "VARCHAR", numeric: false },
        { name: "n", type: "INTEGER", numeric: true },
      ],
      [
        ["品牌", 1],
        ["a\nb\tc", 22],
      ],
    );
    expect(table.split("\n")).toEqual(["brand   │  n", "────────┼───", "品牌    │  1", "a\\nb\\tc │ 22"]);
  });

  it("cuts very long cells with an ellipsis", () => {
    const table = formatTable([{ name: "s", type: "VARCHAR", numeric: false }], [["x".repeat(200)]]);
    expect(table.split("\n")[2]).toBe(`${"x".repeat(79)}…`);
  });

  it("prints the header of an empty result", () => {
    expect(formatTable(columns, [])).toBe("event_type │ events │ revenue\n───────────┼────────┼────────");
  });
});

describe("formatSummary", () => {
  it("gives the row count and elapsed time", () => {
    expect(formatSummary({ rows: [[1]], totalRows: 1, elapsedMs: 3.21 })).toBe("(1 row, 3.2 ms)");
    expect(formatSummary({ rows: [], totalRows: 0, elapsedMs: 45.6 })).toBe("(0 rows, 46 ms)");
    expect(formatSummary({ rows: new Array(1000).fill([1]), totalRows: 885129, elapsedMs: 1234 })).toBe(
      "(1,000 of 885,129 rows shown, 1.23 s)",
    );
  });
});

describe("formatCsv", () => {
  it("quotes what needs quoting and tells NULL from the empty string", () => {
    const csv = formatCsv(
      [
        { name: "a", type: "VARCHAR", numeric: false },
        { name: "b,c", type: "VARCHAR", numeric: false },
      ],
      [
        [null, ""],
        ['say "hi"', "x,y"],
        ["line\nbreak", " padded "],
      ],
    );
    expect(csv).toBe(['a,"b,c"', ',""', '"say ""hi""","x,y"', '"line\nbreak"," padded "'].join("\n"));
  });
});

describe("formatJson", () => {
  it("writes one object per row, integers beyond 2^53 as strings", () => {
    const json = formatJson(
      [
        { name: "id", type: "HUGEINT", numeric: true },
        { name: "n", type: "BIGINT", numeric: true },
        { name: "x", type: "DOUBLE", numeric: true },
        { name: "s", type: "VARCHAR", numeric: false },
      ],
      [
        [2n ** 64n, 42n, Number.NaN, null],
        [1n, -(2n ** 53n) + 1n, 1.5, "ü"],
      ],
    );
    expect(json).toBe(
      '[\n{"id":"18446744073709551616","n":42,"x":"NaN","s":null},\n{"id":1,"n":-9007199254740991,"x":1.5,"s":"ü"}\n]',
    );
    expect(JSON.parse(json)).toHaveLength(2);
    expect(formatJson(columns, [])).toBe("[]");
  });
});

describe("formatResult", () => {
  it("picks the renderer by format", () => {
    expect(formatResult("csv", { columns, rows: rows.slice(0, 1) })).toBe("event_type,events,revenue\nview,793748,");
    expect(formatResult("table", { columns, rows })).toBe(formatTable(columns, rows));
  });
});
