import type { Warehouse } from "../warehouse/warehouse.ts";
import { firstRecord, num, toRecords } from "./rows.ts";
import { dialectOf, landedSql, perMinuteSql } from "./sql.ts";

/** How the raw table is filling up right now, for the page's live panel. */
export interface Live {
  /** The server's clock when the figures were read (epoch ms); lag is measured against it. */
  nowMs: number;
  /** All rows in the raw table, redeliveries included (staging removes those). */
  rowsLanded: number;
  /** Rows landed in the last `windowMinutes`. */
  recentRows: number;
  windowMinutes: number;
  /** Newest `_ingested_at` (epoch ms); null when the table is empty. */
  lastIngestedMs: number | null;
  /** nowMs − lastIngestedMs in seconds: how long ago the consumer last landed something. */
  ingestionLagSeconds: number | null;
  /** Newest `event_time` (epoch ms): how far the event stream itself has got. */
  newestEventMs: number | null;
  /** Rows landed per minute over the window, oldest first, every minute present (0 when idle). */
  perMinute: { minuteMs: number; rows: number }[];
}

/** Minutes of history the live panel shows. */
export const LIVE_WINDOW_MINUTES = 30;

/**
 * Reads the live figures from the raw table `kafka_ecom_events` only — never dbt's models,
 * so the panel keeps working while dbt rebuilds. Minutes are whole UTC minutes of
 * `_ingested_at`; the current, still-filling minute is the last point.
 */
export async function readLive(
  warehouse: Warehouse,
  nowMs: number = Date.now(),
  windowMinutes: number = LIVE_WINDOW_MINUTES,
): Promise<Live> {
  const dialect = dialectOf(warehouse.kind);
  const lastMinute = Math.floor(nowMs / 60_000);
  const firstMinute = lastMinute - windowMinutes + 1;
  const since = new Date(firstMinute * 60_000);
  const landed = firstRecord(await warehouse.query(landedSql(dialect, since)));
  const counts = new Map(
    toRecords(await warehouse.query(perMinuteSql(dialect, since))).map((row) => [num(row, "epoch_minute"), num(row, "row_count")]),
  );
  const perMinute = [];
  for (let minute = firstMinute; minute <= lastMinute; minute++) {
    perMinute.push({ minuteMs: minute * 60_000, rows: counts.get(minute) ?? 0 });
  }
  const lastIngestedMs = typeof landed.last_ingested_ms === "number" ? landed.last_ingested_ms : null;
  return {
    nowMs,
    rowsLanded: num(landed, "rows_landed"),
    recentRows: num(landed, "recent_rows"),
    windowMinutes,
    lastIngestedMs,
    // A consumer clock ahead of ours would give a negative lag; it is "just now" either way.
    ingestionLagSeconds: lastIngestedMs === null ? null : Math.max(0, (nowMs - lastIngestedMs) / 1000),
    newestEventMs: typeof landed.newest_event_ms === "number" ? landed.newest_event_ms : null,
    perMinute,
  };
}
