/**
 * readLive on a real local warehouse session over landing files stamped at chosen `_ingested_at`
 * times: per-minute buckets, the window, the lag against the given clock.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LIVE_WINDOW_MINUTES, readLive } from "../../lib/dashboard/live.ts";
import { openDuckDbWarehouse, type DuckDbWarehouse } from "../../lib/warehouse/duckdb.ts";
import { writeEventBatch } from "../dbt/support/landing.ts";
import { withDuckDB } from "../dbt/support/warehouse.ts";

const scratch = mkdtempSync(join(tmpdir(), "dashboard-live-"));
const at = (time: string) => new Date(`2026-01-01T${time}Z`);
const now = at("12:00:30").getTime();
let session: DuckDbWarehouse;

beforeAll(async () => {
  await withDuckDB(":memory:", async (db) => {
    const batch = (name: string, first: number, count: number, landed: string) =>
      writeEventBatch(db, scratch, { name, first, count, firstDay: "2020-10-01", days: 2, ingestedAt: at(landed) });
    await batch("early", 0, 70, "09:00:00"); // before the window
    await batch("a", 100, 40, "11:31:00"); // the window's first minute
    await batch("b", 200, 100, "11:58:10");
    await batch("c", 400, 50, "12:00:05"); // the current minute
  });
  session = await openDuckDbWarehouse({ warehouseDir: scratch, attachDbt: false });
});

afterAll(async () => {
  await session?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe("readLive", () => {
  it("counts every landed row and those landed within the window", async () => {
    const live = await readLive(session, now);
    expect(live.nowMs).toBe(now);
    expect(live.rowsLanded).toBe(260);
    expect(live.recentRows).toBe(190);
    expect(live.windowMinutes).toBe(LIVE_WINDOW_MINUTES);
  });

  it("answers one point per minute of the window, oldest first, idle minutes as 0", async () => {
    const { perMinute } = await readLive(session, now);
    expect(perMinute).toHaveLength(LIVE_WINDOW_MINUTES);
    expect(perMinute[0]).toEqual({ minuteMs: at("11:31:00").getTime(), rows: 40 });
    expect(perMinute.at(-3)).toEqual({ minuteMs: at("11:58:00").getTime(), rows: 100 });
    expect(perMinute.at(-1)).toEqual({ minuteMs: at("12:00:00").getTime(), rows: 50 });
    expect(perMinute.filter((point) => point.rows > 0)).toHaveLength(3);
  });

  it("measures the ingestion lag and the newest event against the given clock", async () => {
    const live = await readLive(session, now);
    expect(live.lastIngestedMs).toBe(at("12:00:05").getTime());
    expect(live.ingestionLagSeconds).toBe(25);
    expect(live.newestEventMs).toBeGreaterThanOrEqual(Date.UTC(2020, 9, 1));
    expect(live.newestEventMs).toBeLessThan(Date.UTC(2020, 9, 4));
  });

  it("takes a shorter window, and never reports a negative lag for a clock behind the consumer's", async () => {
    const live = await readLive(session, at("11:59:59").getTime(), 2);
    expect(live.perMinute.map((point) => point.rows)).toEqual([100, 0]);
    expect(live.recentRows).toBe(150); // rows stamped "in the future" still landed
    expect(live.ingestionLagSeconds).toBe(0);
  });
});
