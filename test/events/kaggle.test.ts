import { afterAll, describe, expect, it } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { downloadDataset, findKaggleCredentials, KaggleError } from "../../lib/events/kaggle.ts";
import { paths } from "../../lib/paths.ts";

const tmp = mkdtempSync(join(tmpdir(), "kaggle-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const credentials = { username: "u", key: "k", source: "test" };

/** A local stand-in for Kaggle's download endpoint (this machine has no internet). */
function kaggleLike(handler: (req: Request) => Response | Promise<Response>) {
  return Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: handler });
}

describe("findKaggleCredentials", () => {
  it("prefers KAGGLE_USERNAME/KAGGLE_KEY, then kaggle.json, else finds none", () => {
    const home = join(tmp, "home");
    mkdirSync(join(home, ".kaggle"), { recursive: true });
    expect(findKaggleCredentials({}, home)).toBeUndefined();
    writeFileSync(join(home, ".kaggle", "kaggle.json"), JSON.stringify({ username: "ann", key: "s3cret" }));
    expect(findKaggleCredentials({}, home)).toEqual({ username: "ann", key: "s3cret", source: join(home, ".kaggle", "kaggle.json") });
    expect(findKaggleCredentials({ KAGGLE_USERNAME: "bob", KAGGLE_KEY: "x" }, home)?.username).toBe("bob");
    const dir = join(tmp, "cfg");
    mkdirSync(dir);
    writeFileSync(join(dir, "kaggle.json"), "{not json");
    expect(() => findKaggleCredentials({ KAGGLE_CONFIG_DIR: dir }, home)).toThrow(KaggleError);
  });
});

describe("downloadDataset", () => {
  it("fails fast and points at `just generate` when the host cannot be reached", async () => {
    const err = await downloadDataset({ credentials, outDir: join(tmp, "o1"), apiBase: "http://127.0.0.1:9/api/v1", timeoutMs: 2000 }).catch((e) => e);
    expect(err).toBeInstanceOf(KaggleError);
    expect(err.message).toContain("cannot reach 127.0.0.1:9");
    expect(err.message).toContain("just generate");
  });

  it("gives up when no answer comes within the timeout", async () => {
    const server = kaggleLike(() => new Promise<Response>(() => {}));
    const started = performance.now();
    const err = await downloadDataset({ credentials, outDir: join(tmp, "o2"), apiBase: `http://127.0.0.1:${server.port}`, timeoutMs: 300 }).catch((e) => e);
    server.stop(true);
    expect(err.message).toContain("no answer within 0.3 s");
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("says when the credentials are refused, without printing the key", async () => {
    let auth = "";
    const server = kaggleLike((req) => {
      auth = req.headers.get("authorization") ?? "";
      return new Response("unauthorized", { status: 401 });
    });
    const err = await downloadDataset({ credentials, outDir: join(tmp, "o3"), apiBase: `http://127.0.0.1:${server.port}` }).catch((e) => e);
    server.stop(true);
    expect(auth).toBe(`Basic ${btoa("u:k")}`);
    expect(err.message).toContain("Kaggle refused the credentials from test (HTTP 401)");
    expect(err.message).not.toContain(": k");
  });

  it("downloads and extracts the archive, refusing to overwrite without force", async () => {
    const src = join(tmp, "zipsrc");
    mkdirSync(src);
    writeFileSync(join(src, "events.csv"), "event_time\n");
    const zip = join(tmp, "events.zip");
    const made = Bun.spawnSync([paths.python, "-m", "zipfile", "-c", zip, join(src, "events.csv")]);
    if (made.exitCode !== 0) throw new Error(`cannot make a test zip with ${paths.python}: ${made.stderr}`);
    let asked = "";
    const server = kaggleLike((req) => {
      asked = new URL(req.url).pathname;
      return new Response(Bun.file(zip));
    });
    const apiBase = `http://127.0.0.1:${server.port}/api/v1`;
    const out = join(tmp, "data");
    const written = await downloadDataset({ credentials, outDir: out, apiBase });
    expect(asked).toBe("/api/v1/datasets/download/mkechinov/ecommerce-events-history-in-electronics-store");
    expect(written).toEqual([join(out, "events.csv")]);
    expect(readFileSync(join(out, "events.csv"), "utf8")).toBe("event_time\n");
    const again = await downloadDataset({ credentials, outDir: out, apiBase }).catch((e) => e);
    expect(again.message).toContain("already exists (pass --force");
    expect(await downloadDataset({ credentials, outDir: out, apiBase, force: true })).toEqual(written);
    server.stop(true);
  });
});

describe("scripts/download.ts", () => {
  it("stops at once without credentials, naming what is missing and the alternative", () => {
    const home = join(tmp, "empty-home");
    mkdirSync(home, { recursive: true });
    const env = { PATH: process.env.PATH ?? "", HOME: home };
    // cwd: a folder without .env (Bun would load one, maybe with real credentials).
    const run = Bun.spawnSync([process.execPath, join(paths.root, "scripts/download.ts")], { env, cwd: home });
    const stderr = run.stderr.toString();
    expect(run.exitCode).toBe(1);
    expect(stderr).toContain("no Kaggle credentials");
    expect(stderr).toContain("KAGGLE_USERNAME and KAGGLE_KEY");
    expect(stderr).toContain("just generate");
  });
});
