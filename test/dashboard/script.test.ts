/**
 * scripts/dashboard.ts as users run it: flags, the printed URL, the configured warehouse, and a
 * clean exit on SIGTERM/SIGINT.
 */
import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { paths } from "../../lib/paths.ts";

const SCRIPT = join(paths.root, "scripts", "dashboard.ts");
const scratch = mkdtempSync(join(tmpdir(), "dashboard-script-"));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function spawnDashboard(args: string[], env: Record<string, string> = {}) {
  return Bun.spawn([process.execPath, SCRIPT, ...args], {
    env: { ...process.env, WAREHOUSE_DIR: scratch, WAREHOUSE: "local", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
}

/** The first line the script prints on stdout: its URL. */
async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text.split("\n")[0]!;
}

/** A port nothing listens on right now. */
function freePort(): number {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}

describe("scripts/dashboard.ts", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`prints its URL, serves the warehouse and exits 0 on ${signal}`, async () => {
      const child = spawnDashboard(["--port", "0", "--refresh", "7"]);
      try {
        const url = await firstLine(child.stdout);
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        const config = await (await fetch(new URL("/api/config", url))).json();
        expect(config).toEqual({ refreshSeconds: 7, warehouse: { kind: "duckdb", location: scratch } });
        const overview = (await (await fetch(new URL("/api/overview", url))).json()) as { status: string };
        expect(overview.status).toBe("no-data");
        child.kill(signal);
        expect(await child.exited).toBe(0);
        expect(await new Response(child.stderr).text()).toContain("stopping the dashboard");
      } finally {
        child.kill("SIGKILL");
      }
    });
  }

  it("listens on DASHBOARD_PORT when --port is not given", async () => {
    const port = freePort();
    const child = spawnDashboard([], { DASHBOARD_PORT: String(port) });
    try {
      expect(await firstLine(child.stdout)).toBe(`http://127.0.0.1:${port}/`);
    } finally {
      child.kill("SIGTERM");
      await child.exited;
    }
  });

  it("prints its help and exits 0", async () => {
    const child = spawnDashboard(["--help"]);
    expect(await child.exited).toBe(0);
    const help = await new Response(child.stdout).text();
    expect(help).toContain("Usage: just dashboard");
    expect(help).toContain("--port");
  });

  it("exits 2 on a bad flag value, a bad WAREHOUSE, or BigQuery without GCP_PROJECT", async () => {
    for (const [args, env, expected] of [
      [["--port", "http"], {}, "--port must be a port number"],
      [["--refresh", "0"], {}, "--refresh must be"],
      [[], { WAREHOUSE: "snowflake" }, 'WAREHOUSE="snowflake"'],
      [["--warehouse", "bigquery"], { GCP_PROJECT: "" }, "GCP_PROJECT"],
    ] as const) {
      const child = spawnDashboard([...args], { ...env });
      expect(await child.exited).toBe(2);
      expect(await new Response(child.stderr).text()).toContain(expected);
    }
  });

  it("exits 1 when the port is taken", async () => {
    const taken = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
    try {
      const child = spawnDashboard(["--port", String(taken.port)]);
      expect(await child.exited).toBe(1);
      expect(await new Response(child.stderr).text()).toContain("cannot start");
    } finally {
      taken.stop(true);
    }
  });
});
