/**
 * The dashboard end to end on the local warehouse, in the order a user meets it: an empty
 * warehouse, landed events without models, `dbt build` while the dashboard keeps being polled,
 * then the figures, checked against the landing files themselves. One dbt build in all (dbt
 * starts slowly); each stage records what it saw in beforeAll and the `it`s check it.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDashboard, type DashboardServer } from "../../lib/dashboard/server.ts";
import { DashboardSource, type LiveResponse, type OverviewResponse } from "../../lib/dashboard/source.ts";
import { openDuckDbWarehouse } from "../../lib/warehouse/duckdb.ts";
import { dbtDatabasePath } from "../../lib/warehouse/landing.ts";
import { assertSucceeded, runDbt, type DbtRun } from "../dbt/support/dbt.ts";
import { landingDir, writeEventBatch } from "../dbt/support/landing.ts";
import { rows, scalar, withDuckDB } from "../dbt/support/warehouse.ts";

const scratch = mkdtempSync(join(tmpdir(), "dashboard-test-"));
const warehouseDir = join(scratch, "warehouse");
const dbtFile = dbtDatabasePath(warehouseDir);
// Landed an hour before the build (models read rows landed before their run started), and a
// later batch two minutes ago for the live panel.
const hourAgo = new Date(Date.now() - 3_600_000);
const twoMinutesAgo = new Date(Date.now() - 120_000);

let dashboard: DashboardServer;

/** GETs a path of the running dashboard: status and parsed JSON body. */
async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, dashboard.url));
  return { status: response.status, body: (await response.json()) as T };
}

const WRITER = join(import.meta.dir, "support", "dbt-file-writer.ts");

/** Writes to dbt's file from another process, as `dbt build` would: did it get in? */
async function writeFromAnotherProcess(): Promise<{ exitCode: number; stderr: string }> {
  const child = Bun.spawn([process.execPath, WRITER, dbtFile], { stdout: "ignore", stderr: "pipe" });
  const [stderr, exitCode] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  return { exitCode, stderr };
}

beforeAll(() => {
  const source = new DashboardSource({ kind: "local", env: { WAREHOUSE_DIR: warehouseDir } });
  dashboard = startDashboard({ source, port: 0, hostname: "127.0.0.1", refreshSeconds: 5 });
});

afterAll(async () => {
  await dashboard?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("the page", () => {
  it("serves the HTML, script, stylesheet and Chart.js, all from itself", async () => {
    const html = await (await fetch(dashboard.url)).text();
    expect(html).toContain('<canvas id="eventsChart"');
    expect(html).toContain('src="/vendor/chart.umd.min.js"');
    for (const [path, type] of [
      ["/app.js", "text/javascript"],
      ["/charts.js", "text/javascript"],
      ["/format.js", "text/javascript"],
      ["/style.css", "text/css"],
      ["/vendor/chart.umd.min.js", "text/javascript"],
    ] as const) {
      const response = await fetch(new URL(path, dashboard.url));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toStartWith(type);
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      const text = await response.text();
      if (path.startsWith("/vendor")) expect(text).toContain("Chart");
      // Offline: our files reference nothing outside the dashboard.
      else expect(text).not.toMatch(/(src|href)=["']?https?:|url\(["']?https?:|fetch\(["']https?:/);
    }
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
  });

  it("answers 404 for unknown paths and 405 for other methods", async () => {
    expect((await fetch(new URL("/nope", dashboard.url))).status).toBe(404);
    expect((await fetch(new URL("/api/overview", dashboard.url), { method: "POST" })).status).toBe(405);
  });

  it("tells the page how often to refresh and which warehouse it reads", async () => {
    const { status, body } = await get<{ refreshSeconds: number; warehouse: { kind: string; location: string } }>("/api/config");
    expect(status).toBe(200);
    expect(body).toEqual({ refreshSeconds: 5, warehouse: { kind: "duckdb", location: warehouseDir } });
  });
});

describe("an empty warehouse", () => {
  it("answers both panels with the no-data message and the commands that land data", async () => {
    const overview = await get<OverviewResponse>("/api/overview");
    const live = await get<LiveResponse>("/api/live");
    for (const { status, body } of [overview, live]) {
      expect(status).toBe(200);
      expect(body.status).toBe("no-data");
      expect(body.message).toContain("just demo");
      expect(body.message).toContain("just consume");
      expect(body.commands).toEqual(["just demo", "just produce", "just consume"]);
      expect(body.notices).toEqual([]);
    }
  });
});

describe("landed events, models not built yet", () => {
  beforeAll(async () => {
    await withDuckDB(":memory:", async (db) => {
      await writeEventBatch(db, warehouseDir, { name: "old", first: 0, count: 1600, firstDay: "2020-10-01", days: 3, ingestedAt: hourAgo });
      await writeEventBatch(db, warehouseDir, { name: "new", first: 1600, count: 400, firstDay: "2020-10-03", days: 1, ingestedAt: twoMinutesAgo });
    });
  });

  it("shows the live figures from the raw table", async () => {
    const { status, body } = await get<LiveResponse>("/api/live");
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
    const live = body.live!;
    expect(live.rowsLanded).toBe(2000);
    expect(live.recentRows).toBe(400);
    expect(live.lastIngestedMs).toBe(twoMinutesAgo.getTime());
    expect(live.ingestionLagSeconds).toBeGreaterThanOrEqual(119);
    expect(live.perMinute).toHaveLength(live.windowMinutes);
    expect(live.perMinute.reduce((sum, point) => sum + point.rows, 0)).toBe(400);
    expect(live.newestEventMs).toBeGreaterThan(Date.UTC(2020, 9, 3));
  });

  it("asks for just dbt on the overview", async () => {
    const { status, body } = await get<OverviewResponse>("/api/overview");
    expect(status).toBe(200);
    expect(body.status).toBe("no-models");
    expect(body.message).toContain("just dbt");
    expect(body.commands).toEqual(["just dbt"]);
  });
});

describe("dbt build while the dashboard is polled", () => {
  let build: DbtRun;
  const seen = { overview: [] as string[], live: [] as string[] };

  beforeAll(async () => {
    let building = true;
    const built = runDbt(["build"], warehouseDir, join(scratch, "dbt")).finally(() => (building = false));
    // The page polls every few seconds; poll much faster so a held lock cannot slip through.
    while (building) {
      const [overview, live] = await Promise.all([get<OverviewResponse>("/api/overview"), get<LiveResponse>("/api/live")]);
      seen.overview.push(overview.status === 200 ? overview.body.status : `HTTP ${overview.status}`);
      seen.live.push(live.status === 200 ? live.body.status : `HTTP ${live.status}`);
      await Bun.sleep(100);
    }
    build = await built;
  }, 120_000);

  it("lets dbt build (the dashboard holds no lock on its file)", () => {
    assertSucceeded(build, "dbt build");
  });

  it("keeps the live panel working and reports the build on the overview", () => {
    expect(seen.live.length).toBeGreaterThan(5);
    expect(new Set(seen.live)).toEqual(new Set(["ok"]));
    // Before dbt creates its file: no models; while it holds it: locked; never an error.
    expect(seen.overview).toContain("locked");
    expect(seen.overview.every((status) => ["no-models", "locked", "ok"].includes(status))).toBe(true);
  });
});

/** The figures the overview must show, computed from the landing files alone. */
async function landingFigures() {
  // Staging turns blank strings into NULL; so does this.
  const landing = `(select * replace (nullif(trim(category_code), '') as category_code, nullif(trim(brand), '') as brand)
                    from read_parquet('${landingDir(warehouseDir)}/*/*.parquet', hive_partitioning = true))`;
  const revenueBy = (column: string) => `
      select ${column} as name, round(sum(round(price, 2)) * 100) as cents from ${landing}
      where event_type = 'purchase' and ${column} is not null group by 1 order by 2 desc, 1 limit 10`;
  return withDuckDB(":memory:", async (db) => ({
    events: await scalar(db, `select count(*) from ${landing}`),
    views: await scalar(db, `select count(*) from ${landing} where event_type = 'view'`),
    carts: await scalar(db, `select count(*) from ${landing} where event_type = 'cart'`),
    purchases: await scalar(db, `select count(*) from ${landing} where event_type = 'purchase'`),
    revenueCents: await scalar(db, `select round(sum(round(price, 2)) * 100) from ${landing} where event_type = 'purchase'`),
    days: await scalar(db, `select count(distinct event_date) from ${landing}`),
    range: (await rows(db, `select min(event_date)::varchar as first, max(event_date)::varchar as last from ${landing}`))
      .map((row) => [String(row.first), String(row.last)]),
    sessions: await scalar(db, `select count(distinct user_session) from ${landing} where user_session is not null`),
    users: await scalar(db, `select count(distinct user_id) from ${landing} where user_session is not null`),
    categories: (await rows(db, revenueBy("category_code"))).map((row) => [String(row.name), Number(row.cents)]),
    brands: (await rows(db, revenueBy("brand"))).map((row) => [String(row.name), Number(row.cents)]),
  }));
}

describe("after the build", () => {
  let overview: OverviewResponse;
  let expected: Awaited<ReturnType<typeof landingFigures>>;

  beforeAll(async () => {
    overview = (await get<OverviewResponse>("/api/overview")).body;
    expected = await landingFigures();
  });

  it("answers the headline numbers the landing files add up to", () => {
    expect(overview.status).toBe("ok");
    expect(overview.stale).toBeUndefined();
    const kpis = overview.overview!.kpis;
    expect(kpis.events).toBe(expected.events);
    expect(kpis.views).toBe(expected.views);
    expect(kpis.carts).toBe(expected.carts);
    expect(kpis.purchases).toBe(expected.purchases);
    expect(Math.round(kpis.revenue * 100)).toBe(expected.revenueCents);
    expect(kpis.sessions).toBe(expected.sessions);
    expect(kpis.users).toBe(expected.users);
    expect(kpis.sessionConversionRate).toBeCloseTo(kpis.convertedSessions / kpis.sessions, 12);
    expect([[kpis.firstDay, kpis.lastDay]]).toEqual(expected.range);
    expect(kpis.modelsLandedUntilMs).toBe(twoMinutesAgo.getTime());
  });

  it("answers one point per day, by event type", () => {
    const daily = overview.overview!.daily;
    expect(daily).toHaveLength(expected.days);
    expect(daily.map((point) => point.date)).toEqual([...daily.map((point) => point.date)].sort());
    expect(daily.reduce((sum, point) => sum + point.events, 0)).toBe(expected.events);
    for (const point of daily) expect(point.view + point.cart + point.removeFromCart + point.purchase).toBe(point.events);
    expect(Math.round(daily.reduce((sum, point) => sum + point.revenue, 0) * 100)).toBe(expected.revenueCents);
  });

  it("answers the funnel view → cart → purchase with counts and rates", () => {
    const [view, cart, purchase] = overview.overview!.funnel;
    expect([view!.step, cart!.step, purchase!.step]).toEqual(["view", "cart", "purchase"]);
    expect([view!.events, cart!.events, purchase!.events]).toEqual([expected.views, expected.carts, expected.purchases]);
    expect(view!.eventRate).toBeNull();
    expect(cart!.eventRate).toBeCloseTo(cart!.events / view!.events, 12);
    expect(purchase!.eventRate).toBeCloseTo(purchase!.events / cart!.events, 12);
    expect(purchase!.sessions).toBe(overview.overview!.kpis.convertedSessions);
    expect(purchase!.sessionRate).toBeCloseTo(purchase!.sessions / cart!.sessions, 12);
  });

  it("answers the top categories and brands by revenue, as the landing files rank them", () => {
    const { categories, brands, kpis, unattributed } = overview.overview!;
    const inCents = (items: { name: string; revenue: number }[]) => items.map((item) => [item.name, Math.round(item.revenue * 100)]);
    expect(inCents(categories)).toEqual(expected.categories);
    expect(inCents(brands)).toEqual(expected.brands);
    expect(categories[0]!.share).toBeCloseTo(categories[0]!.revenue / kpis.revenue, 12);
    // Named categories plus the unnamed rest make up all revenue (6 categories in the data).
    const named = categories.reduce((sum, c) => sum + c.revenue, 0);
    expect(Math.round((named + unattributed.noCategoryRevenue) * 100)).toBe(expected.revenueCents);
  });

  it("holds no lock on dbt's file between requests", async () => {
    // Control: a session that keeps dbt's file attached does block a writer.
    const held = await openDuckDbWarehouse({ warehouseDir });
    const blocked = await writeFromAnotherProcess();
    await held.close();
    expect(blocked.exitCode).not.toBe(0);
    expect(blocked.stderr).toMatch(/lock/i);
    // The dashboard right after answering: the writer gets in.
    expect((await get<OverviewResponse>("/api/overview")).body.status).toBe("ok");
    const written = await writeFromAnotherProcess();
    expect(written.stderr).toBe("");
    expect(written.exitCode).toBe(0);
  });

  it("reads the models again only when dbt's file has changed", async () => {
    const first = (await get<OverviewResponse>("/api/overview")).body;
    const again = (await get<OverviewResponse>("/api/overview")).body;
    expect(again.readAtMs).toBe(first.readAtMs!);
    await writeFromAnotherProcess();
    const changed = (await get<OverviewResponse>("/api/overview")).body;
    expect(changed.readAtMs).toBeGreaterThan(first.readAtMs!);
  });

  it("serves the last overview marked stale while dbt holds its file", async () => {
    await writeFromAnotherProcess(); // the file changes, so the dashboard must read it again
    const locker = Bun.spawn([process.execPath, WRITER, dbtFile, "--hold"], { stdout: "pipe", stderr: "inherit" });
    try {
      const reader = locker.stdout.getReader();
      await reader.read(); // "holding": the file is locked now
      const { status, body } = await get<OverviewResponse>("/api/overview");
      expect(status).toBe(200);
      expect(body.status).toBe("ok");
      expect(body.stale).toBe(true);
      expect(body.notices.join("\n")).toMatch(/locked/);
      expect(body.overview!.kpis.events).toBe(expected.events);
    } finally {
      locker.kill();
      await locker.exited;
    }
  });
});

describe("query failures", () => {
  it("answers 500 with the warehouse's message", async () => {
    const broken = join(landingDir(warehouseDir), "event_date=2020-10-02", "broken.parquet");
    writeFileSync(broken, "this is not a parquet file");
    try {
      const { status, body } = await get<{ status: string; error: string }>("/api/live");
      expect(status).toBe(500);
      expect(body.status).toBe("error");
      expect(body.error).toContain("broken.parquet");
    } finally {
      rmSync(broken);
    }
    expect((await get<LiveResponse>("/api/live")).status).toBe(200);
  });
});
