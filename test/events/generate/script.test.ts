import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { openCsv } from "../../../lib/events/csv/reader.ts";
import { paths } from "../../../lib/paths.ts";

const tmp = mkdtempSync(join(tmpdir(), "generate-script-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const script = join(paths.root, "scripts/generate.ts");
const run = (...args: string[]) => Bun.spawnSync([process.execPath, script, ...args], { cwd: tmp });

describe("scripts/generate.ts", () => {
  it("writes plain and gzip files with the same content for a seed, and a summary", async () => {
    const plain = join(tmp, "a.csv");
    const zipped = join(tmp, "nested", "a.csv.gz");
    const r1 = run("--rows", "2_000", "--seed", "5", "--out", plain);
    const r2 = run("--rows", "2000", "--seed", "5", "--out", zipped, "--quiet");
    expect(r1.exitCode).toBe(0);
    expect(r2.exitCode).toBe(0);
    expect(r1.stdout.toString().trim()).toBe(plain);
    expect(r1.stderr.toString()).toMatch(/wrote 2,000 rows to .*a\.csv — [\d.]+ kB of CSV in [\d.]+ s \([\d.]+k? rows\/s, seed 5\)/);
    expect(gunzipSync(readFileSync(zipped)).equals(readFileSync(plain))).toBe(true);
    const source = await openCsv(zipped);
    let records = 0;
    for await (const b of source.batches()) records += b.fields.length + b.errors.length;
    expect(records).toBe(2000);
  });

  it("refuses bad arguments with exit code 2", () => {
    const r = run("--rows", "many");
    expect(r.exitCode).toBe(2);
    expect(r.stderr.toString()).toContain("--rows: expected a whole number");
    expect(run("--bogus").exitCode).toBe(2);
    expect(run("--help").stdout.toString()).toContain("Usage: bun scripts/generate.ts");
  });
});
