import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { paths } from "../../lib/paths.ts";
import { fakeDbtDatabase, land } from "./warehouse-support.ts";

const SCRIPT = join(paths.root, "scripts", "sql.ts");

/** Runs `scripts/sql.ts` (what `just sql` runs) and collects its output and exit code. */
async function sql(args: string[], env: Record<string, string>, stdin?: string) {
  const child = Bun.spawn([process.execPath, SCRIPT, ...args], {
    env: { ...process.env, WAREHOUSE: "", ...env },
    stdin: stdin === undefined ? "ignore" : new Blob([stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

describe("just sql", () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "warehouse-sql-"));
    await land(dir, 500);
    await fakeDbtDatabase(dir);
    env = { WAREHOUSE_DIR: dir };
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints an aligned table with the row count and elapsed time", async () => {
    const { stdout, stderr, code } = await sql(
      ["select _kafka_partition as p, count(*) as n from kafka_ecom_events group by 1 order by 1"],
      env,
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const lines = stdout.trimEnd().split("\n");
    expect(lines.slice(0, 4)).toEqual(["p │   n", "──┼────", "0 │ 250", "1 │ 250"]);
    expect(lines[4]).toMatch(/^\(2 rows, [\d.]+ m?s\)$/);
  });

  it("queries dbt's models as main.<model>", async () => {
    const { stdout, code } = await sql(["select count(*) as models from main.fct_daily_kpis"], env);
    expect(code).toBe(0);
    expect(stdout).toContain("     1\n(1 row,");
  });

  it("writes CSV and JSON to stdout and the summary to stderr", async () => {
    const csv = await sql(["--format", "csv", "select 1 as a, 'x,y' as b, null as c"], env);
    expect(csv.stdout).toBe('a,b,c\n1,"x,y",\n');
    expect(csv.stderr).toMatch(/^\(1 row, [\d.]+ m?s\)\n$/);
    const json = await sql(["-f", "json", "select 1 as a, 9007199254740993::bigint as id"], env);
    expect(JSON.parse(json.stdout)).toEqual([{ a: 1, id: "9007199254740993" }]);
  });

  it("reads SQL from stdin with -", async () => {
    const { stdout, code } = await sql(["-f", "csv", "-"], env, "select 42 as answer");
    expect({ code, stdout }).toEqual({ code: 0, stdout: "answer\n42\n" });
  });

  it("prints at most --max-rows rows and says how many there were", async () => {
    const { stdout, code } = await sql(["-n", "2", "select _kafka_offset from kafka_ecom_events"], env);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split("\n")).toHaveLength(5);
    expect(stdout).toMatch(/\(2 of 500 rows shown, [\d.]+ m?s\)\n$/);
  });

  it("says no data landed yet and exits 3 on an empty warehouse", async () => {
    const empty = mkdtempSync(join(tmpdir(), "warehouse-sql-empty-"));
    try {
      const { stderr, code } = await sql(["select count(*) from kafka_ecom_events"], { WAREHOUSE_DIR: empty });
      expect(code).toBe(3);
      expect(stderr).toContain("no data landed yet: run just consume");
      expect(stderr.match(/no data landed yet/g)).toHaveLength(1);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("exits 1 with the warehouse's message when the query fails", async () => {
    const { stderr, code } = await sql(["select * from nowhere"], env);
    expect(code).toBe(1);
    expect(stderr).toContain("Table with name nowhere does not exist");
  });

  it("exits 2 on bad usage, 0 on --help", async () => {
    expect((await sql([], env)).code).toBe(2);
    expect((await sql(["--format", "xml", "select 1"], env)).stderr).toContain("--format must be one of table, csv, json");
    expect((await sql(["--bogus"], env)).code).toBe(2);
    expect((await sql(["select 1"], { ...env, WAREHOUSE: "oracle" })).code).toBe(2);
    const help = await sql(["--help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: just sql");
  });

  it("fails fast and clearly when BigQuery cannot be reached", async () => {
    const started = performance.now();
    const { stderr, code } = await sql(["select 1"], {
      WAREHOUSE: "bigquery",
      GCP_PROJECT: "test-project",
      BIGQUERY_API_ENDPOINT: "http://127.0.0.1:9",
      METADATA_SERVER_DETECTION: "none",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("cannot reach http://127.0.0.1:9");
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
