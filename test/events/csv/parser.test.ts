import { describe, expect, it } from "bun:test";
import { CsvParser, type CsvRecords } from "../../../lib/events/csv/parser.ts";

/** Parses `text` pushed in pieces of `step` characters (Infinity: all at once). */
function parse(text: string, step = Infinity, options = {}): CsvRecords {
  const parser = new CsvParser(options);
  const all: CsvRecords = { fields: [], lines: [], raws: [], errors: [] };
  const add = (r: CsvRecords) => {
    all.fields.push(...r.fields);
    all.lines.push(...r.lines);
    all.raws.push(...r.raws);
    all.errors.push(...r.errors);
  };
  if (step === Infinity) add(parser.push(text));
  else for (let i = 0; i < text.length; i += step) add(parser.push(text.slice(i, i + step)));
  add(parser.end());
  return all;
}

describe("CsvParser", () => {
  it("splits plain lines and numbers them", () => {
    const r = parse("a,b,c\n1,2,3\n");
    expect(r.fields).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
    expect(r.lines).toEqual([1, 2]);
    expect(r.raws).toEqual(["a,b,c", "1,2,3"]);
  });

  it("handles CRLF and a last line without a line break", () => {
    const r = parse("a,b\r\n1,2\r\n3,4");
    expect(r.fields).toEqual([
      ["a", "b"],
      ["1", "2"],
      ["3", "4"],
    ]);
    expect(r.lines).toEqual([1, 2, 3]);
  });

  it("keeps empty fields and skips (but counts) empty lines", () => {
    const r = parse("a,,c\n\n\r\n,,\n");
    expect(r.fields).toEqual([
      ["a", "", "c"],
      ["", "", ""],
    ]);
    expect(r.lines).toEqual([1, 4]);
  });

  it("reads quoted fields with commas, doubled quotes and line breaks", () => {
    const text = 'x,"a, b","say ""hi""",y\n"multi\nline\r\nvalue",2\nlast,"",3\n';
    const r = parse(text);
    expect(r.fields).toEqual([
      ["x", "a, b", 'say "hi"', "y"],
      ["multi\nline\r\nvalue", "2"],
      ["last", "", "3"],
    ]);
    expect(r.lines).toEqual([1, 2, 5]);
    expect(r.raws[1]).toBe('"multi\nline\r\nvalue",2');
  });

  it("gives the same records whatever the piece size", () => {
    const text = 'h1,h2\n"a,""b""\nc",d\r\ne,"f"\n\ng,h';
    const whole = parse(text);
    for (const step of [1, 2, 3, 5, 7]) expect(parse(text, step)).toEqual(whole);
  });

  it("is lenient with stray quotes inside or after a field", () => {
    const r = parse('ab"c,d\n"ab"c,d\n');
    expect(r.fields).toEqual([
      ['ab"c', "d"],
      ["abc", "d"],
    ]);
  });

  it("reports an unbalanced quote on the last line with its line, and keeps the rest", () => {
    const r = parse('a,b\n1,2\n3,"oops\n');
    expect(r.fields).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(r.errors).toEqual([{ line: 3, reason: "unbalanced quote: a quoted field is never closed", raw: '3,"oops' }]);
  });

  it("recovers after an unbalanced quote: resumes on the next line", () => {
    const r = parse('1,"open\n2,b\n3,c\n');
    expect(r.errors.map((e) => e.line)).toEqual([1]);
    expect(r.fields).toEqual([
      ["2", "b"],
      ["3", "c"],
    ]);
    expect(r.lines).toEqual([2, 3]);
  });

  it("gives up on a quoted field longer than maxRecordChars, in pieces too", () => {
    const text = `1,"${"x".repeat(300)}\n2,b\n`;
    for (const step of [Infinity, 64]) {
      const r = parse(text, step, { maxRecordChars: 100 });
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]!.line).toBe(1);
      expect(r.errors[0]!.reason).toContain("still open after 100 characters");
      expect(r.fields).toEqual([["2", "b"]]);
    }
  });

  it("drops a byte order mark at the start of a file, keeps U+FEFF as data after a header", () => {
    expect(parse("\ufeffa,b\n").fields).toEqual([["a", "b"]]);
    const r = parse("\ufeffa,b\n", Infinity, { firstLine: 10 });
    expect(r.fields).toEqual([["\ufeffa", "b"]]);
    expect(r.lines).toEqual([10]);
  });
});
