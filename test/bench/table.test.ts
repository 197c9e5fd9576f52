import { describe, expect, it } from "bun:test";
import { renderMarkdown, renderPlain, type Table } from "../../lib/bench/table.ts";

const table: Table = {
  headers: ["client", "msgs/s"],
  rows: [
    ["binding", "1,234,567"],
    ["java", "305,000"],
  ],
};

describe("renderMarkdown", () => {
  it("pads cells into aligned columns, right-aligning numbers by default", () => {
    expect(renderMarkdown(table)).toBe(
      ["| client  |    msgs/s |", "| ------- | --------: |", "| binding | 1,234,567 |", "| java    |   305,000 |"].join("\n"),
    );
  });

  it("honours explicit alignment", () => {
    const left = renderMarkdown({ ...table, align: ["left", "left"] });
    expect(left.split("\n")[1]).toBe("| ------- | --------- |");
    expect(left.split("\n")[3]).toBe("| java    | 305,000   |");
  });

  it("escapes pipes and newlines so a cell cannot break the table", () => {
    const md = renderMarkdown({ headers: ["a"], rows: [["x|y\nz"]] });
    expect(md.split("\n")).toHaveLength(3);
    expect(md).toContain("x\\|y z");
  });

  it("rejects a row with the wrong number of cells, saying which", () => {
    expect(() => renderMarkdown({ headers: ["a", "b"], rows: [["1", "2"], ["3"]] })).toThrow(/row 2 has 1 cells, expected 2/);
  });
});

describe("renderPlain", () => {
  it("separates columns by two spaces with a dashed rule under the header", () => {
    expect(renderPlain(table)).toBe(
      ["client      msgs/s", "-------  ---------", "binding  1,234,567", "java       305,000"].join("\n"),
    );
  });
});
