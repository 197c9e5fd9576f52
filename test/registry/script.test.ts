import { afterAll, describe, expect, it } from "bun:test";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../../lib/paths.ts";
import { startTestRegistry, tempDir } from "./harness.ts";

const SCRIPT = join(paths.root, "scripts", "registry.ts");
const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function spawnRegistry(args: string[], env: Record<string, string> = {}) {
  return Bun.spawn([process.execPath, SCRIPT, ...args], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, REGISTRY_PORT: "", REGISTRY_DB: "", REGISTRY_BASIC_AUTH: "", ...env },
  });
}

async function finished(child: ReturnType<typeof spawnRegistry>) {
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

/** Reads stdout until the first line (the URL the registry prints once listening). */
async function firstLine(child: ReturnType<typeof spawnRegistry>): Promise<string> {
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`registry exited before printing its URL: ${await new Response(child.stderr).text()}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text.trim();
}

describe("scripts/registry.ts", () => {
  it("prints help and exits 0", async () => {
    const { stdout, code } = await finished(spawnRegistry(["--help"]));
    expect(code).toBe(0);
    expect(stdout).toContain("--basic-auth");
  });

  it("exits 2 on bad arguments", async () => {
    for (const args of [["--port", "http"], ["--port", "70000"], ["--basic-auth", "nocolon", "--port", "0"], ["--bogus"]]) {
      const { code, stderr } = await finished(spawnRegistry([...args, "--db", join(dir, "bad.sqlite")]));
      expect([args.join(" "), code]).toEqual([args.join(" "), 2]);
      expect(stderr).toContain("registry:");
    }
  });

  it("serves on the port from the environment, logs requests with --verbose, and stops on SIGTERM", async () => {
    const dbPath = join(dir, "script.sqlite");
    const child = spawnRegistry(["--verbose"], { REGISTRY_PORT: "0", REGISTRY_DB: dbPath, REGISTRY_BASIC_AUTH: "u:p" });
    const url = await firstLine(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const reply = await fetch(`${url}/subjects`, { headers: { Authorization: `Basic ${btoa("u:p")}` } });
    expect(await reply.json()).toEqual([]);
    child.kill("SIGTERM");
    const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
    expect(code).toBe(0);
    expect(stderr).toContain("GET /subjects 200");
    expect(stderr).toContain("SIGTERM, stopping");
    expect(existsSync(dbPath)).toBe(true);
    // The database was closed: SQLite folds the write-ahead log back and removes it.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  });

  it("exits 1 when the port is taken", async () => {
    const holder = startTestRegistry();
    try {
      const { code, stderr } = await finished(spawnRegistry(["--port", String(holder.port), "--db", join(dir, "taken.sqlite")]));
      expect(code).toBe(1);
      expect(stderr).toContain("cannot start");
    } finally {
      await holder.dispose();
    }
  });
});
