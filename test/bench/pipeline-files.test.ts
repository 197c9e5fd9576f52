import { afterAll, describe, expect, it } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommandLog, displayPath, shellWord } from "../../lib/bench/pipeline/commands.ts";
import { lastLines, writeTailCsv } from "../../lib/bench/pipeline/data.ts";
import { linkLanding } from "../../lib/bench/pipeline/workspace.ts";
import { paths } from "../../lib/paths.ts";

const dir = mkdtempSync(join(tmpdir(), "bench-pipeline-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("lastLines", () => {
  it("returns the last n lines, ignoring the final newline", () => {
    expect(lastLines("a\nb\nc\n", 2)).toEqual(["b", "c"]);
    expect(lastLines("a\nb\n", 5)).toEqual(["a", "b"]);
  });

  it("refuses a partial tail that cannot hold n complete lines", () => {
    expect(() => lastLines("tial\nb\nc", 3, false)).toThrow(RangeError);
    expect(lastLines("tial\nb\nc", 2, false)).toEqual(["b", "c"]);
  });
});

describe("writeTailCsv", () => {
  it("writes the header and the file's last rows", () => {
    const source = join(dir, "events.csv");
    const rows = Array.from({ length: 5_000 }, (_, i) => `2021-02-28 00:00:00 UTC,view,${i},c,,b,1.00,u${i},s`);
    writeFileSync(source, `event_time,event_type,product_id\n${rows.join("\n")}\n`);
    const target = writeTailCsv(source, join(dir, "tail.csv"), 2_000);
    const lines = readFileSync(target, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(2_001);
    expect(lines[0]).toBe("event_time,event_type,product_id");
    expect(lines[1]).toBe(rows[3_000]);
    expect(lines.at(-1)).toBe(rows[4_999]);
  });

  it("never repeats the header when the file is shorter than asked", () => {
    const source = join(dir, "small.csv");
    writeFileSync(source, "h1,h2\n1,2\n3,4\n");
    expect(readFileSync(writeTailCsv(source, join(dir, "small-tail.csv"), 10), "utf8")).toBe("h1,h2\n1,2\n3,4\n");
  });
});

describe("linkLanding", () => {
  it("hard-links complete Parquet files and skips files still being written", () => {
    const from = join(dir, "raw");
    mkdirSync(join(from, "kafka_ecom_events", "event_date=2021-02-28"), { recursive: true });
    writeFileSync(join(from, "kafka_ecom_events", "event_date=2021-02-28", "a.parquet"), "PAR1");
    writeFileSync(join(from, "kafka_ecom_events", "event_date=2021-02-28", ".b.parquet.tmp"), "partial");
    const to = join(dir, "copy", "raw");
    expect(linkLanding(from, to)).toBe(1);
    const linked = join(to, "kafka_ecom_events", "event_date=2021-02-28", "a.parquet");
    expect(statSync(linked).nlink).toBe(2);
    expect(existsSync(join(to, "kafka_ecom_events", "event_date=2021-02-28", ".b.parquet.tmp"))).toBe(false);
  });
});

describe("CommandLog", () => {
  it("builds bun commands with the base environment and logs the first per purpose, repo-relative", () => {
    const log = new CommandLog({ WAREHOUSE: "local" });
    const warehouse = join(paths.local, "bench", "x");
    const cmd = log.script("sql", ["-f", "json", "select count(*) from t"], { WAREHOUSE_DIR: warehouse }, "count");
    log.script("sql", ["other"], {}, "count");
    expect(cmd.argv.slice(1)).toEqual([join(paths.root, "scripts", "sql.ts"), "-f", "json", "select count(*) from t"]);
    expect(cmd.env).toEqual({ WAREHOUSE: "local", WAREHOUSE_DIR: warehouse });
    expect(log.entries()).toEqual([["count", "WAREHOUSE_DIR=.local/bench/x bun scripts/sql.ts -f json 'select count(*) from t'"]]);
  });

  it("quotes only words the shell would split or expand", () => {
    expect(shellWord("a-b_c.csv")).toBe("a-b_c.csv");
    expect(shellWord("it's here")).toBe(`'it'\\''s here'`);
    expect(displayPath("/elsewhere/x")).toBe("/elsewhere/x");
  });
});
