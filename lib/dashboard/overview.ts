import type { Warehouse } from "../warehouse/warehouse.ts";
import { firstRecord, num, toRecords, type JsonRow } from "./rows.ts";
import { dailySql, dialectOf, sessionsSql, topBrandsSql, topCategoriesSql, totalsSql, unattributedSql } from "./sql.ts";

/** Headline numbers over everything the models hold. */
export interface Kpis {
  events: number;
  views: number;
  carts: number;
  removals: number;
  purchases: number;
  revenue: number;
  /** Distinct users with a session (events without a session id are not in fct_sessions). */
  users: number;
  sessions: number;
  convertedSessions: number;
  /** convertedSessions / sessions; null without sessions. */
  sessionConversionRate: number | null;
  firstDay: string | null;
  lastDay: string | null;
  /** Newest landing time the models include (epoch ms): how far behind the raw table they are. */
  modelsLandedUntilMs: number | null;
}

/** One day of fct_daily_kpis. */
export interface DailyPoint {
  date: string;
  view: number;
  cart: number;
  removeFromCart: number;
  purchase: number;
  events: number;
  revenue: number;
  sessions: number;
  sessionConversionRate: number | null;
}

/** A funnel step: events of the type, sessions that had one, and the rates against the step before. */
export interface FunnelStep {
  step: "view" | "cart" | "purchase";
  events: number;
  sessions: number;
  /** events / previous step's events (an event ratio, so it can exceed 1); null for the first step. */
  eventRate: number | null;
  /** sessions / previous step's sessions; null for the first step. */
  sessionRate: number | null;
}

/** A category path or brand with its revenue. */
export interface RankedItem {
  name: string;
  revenue: number;
  purchases: number;
  /** Share of all revenue. */
  share: number | null;
}

/** Everything the page draws from dbt's models, read in one warehouse session. */
export interface Overview {
  kpis: Kpis;
  daily: DailyPoint[];
  funnel: FunnelStep[];
  categories: RankedItem[];
  brands: RankedItem[];
  /** Revenue of purchases that carry no category path / no brand (left out of the lists). */
  unattributed: { noCategoryRevenue: number; noBrandRevenue: number };
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/**
 * Reads the overview from dbt's core models. Queries run one after another: a local session
 * is one DuckDB connection, and BigQuery bills per query either way. Errors are the
 * warehouse's (QueryError), left to the caller to classify.
 */
export async function readOverview(warehouse: Warehouse): Promise<Overview> {
  const dialect = dialectOf(warehouse.kind);
  const totals = firstRecord(await warehouse.query(totalsSql(dialect)));
  const sessions = firstRecord(await warehouse.query(sessionsSql()));
  const daily = toRecords(await warehouse.query(dailySql()));
  const categories = toRecords(await warehouse.query(topCategoriesSql()));
  const brands = toRecords(await warehouse.query(topBrandsSql()));
  const unattributed = firstRecord(await warehouse.query(unattributedSql()));

  const revenue = num(totals, "revenue");
  const kpis: Kpis = {
    events: num(totals, "events"),
    views: num(totals, "views"),
    carts: num(totals, "carts"),
    removals: num(totals, "removals"),
    purchases: num(totals, "purchases"),
    revenue,
    users: num(sessions, "users"),
    sessions: num(sessions, "sessions"),
    convertedSessions: num(sessions, "converted_sessions"),
    sessionConversionRate: ratio(num(sessions, "converted_sessions"), num(sessions, "sessions")),
    firstDay: text(totals.first_day),
    lastDay: text(totals.last_day),
    modelsLandedUntilMs: typeof totals.models_landed_until_ms === "number" ? totals.models_landed_until_ms : null,
  };
  return {
    kpis,
    daily: daily.map(toDailyPoint),
    funnel: funnel(kpis, sessions),
    categories: categories.map((row) => toRanked(row, revenue)),
    brands: brands.map((row) => toRanked(row, revenue)),
    unattributed: {
      noCategoryRevenue: num(unattributed, "no_category_revenue"),
      noBrandRevenue: num(unattributed, "no_brand_revenue"),
    },
  };
}

function funnel(kpis: Kpis, sessions: JsonRow): FunnelStep[] {
  const steps = [
    { step: "view", events: kpis.views, sessions: num(sessions, "viewing_sessions") },
    { step: "cart", events: kpis.carts, sessions: num(sessions, "carting_sessions") },
    { step: "purchase", events: kpis.purchases, sessions: num(sessions, "purchasing_sessions") },
  ] as const;
  return steps.map((current, i) => {
    const previous = steps[i - 1];
    return {
      ...current,
      eventRate: previous ? ratio(current.events, previous.events) : null,
      sessionRate: previous ? ratio(current.sessions, previous.sessions) : null,
    };
  });
}

function toDailyPoint(row: JsonRow): DailyPoint {
  return {
    date: String(row.event_date),
    view: num(row, "view_count"),
    cart: num(row, "cart_count"),
    removeFromCart: num(row, "remove_from_cart_count"),
    purchase: num(row, "purchase_count"),
    events: num(row, "event_count"),
    revenue: num(row, "revenue"),
    sessions: num(row, "session_count"),
    sessionConversionRate: typeof row.session_conversion_rate === "number" ? row.session_conversion_rate : null,
  };
}

function toRanked(row: JsonRow, totalRevenue: number): RankedItem {
  const revenue = num(row, "revenue");
  return { name: String(row.name), revenue, purchases: num(row, "purchases"), share: ratio(revenue, totalRevenue) };
}

function text(value: JsonRow[string] | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}
