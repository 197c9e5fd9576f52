import type { Warehouse } from "../warehouse/warehouse.ts";

/**
 * The dashboard's questions as SQL that runs unchanged on DuckDB and BigQuery, except for the
 * two spots where their dialects part: turning a timestamp into epoch milliseconds
 * (`epoch_ms` / `unix_millis`). Times leave the warehouse as epoch milliseconds so the page
 * never parses DuckDB's or BigQuery's timestamp text. Tables are named unqualified: both
 * warehouse sessions resolve dbt's models and the raw table by their bare names.
 */

/** The few functions whose spelling differs between the warehouses. */
export interface Dialect {
  /** Milliseconds since the epoch of a TIMESTAMP expression, as an integer. */
  epochMs(expression: string): string;
}

const DIALECTS: Record<Warehouse["kind"], Dialect> = {
  duckdb: { epochMs: (expression) => `epoch_ms(${expression})` },
  bigquery: { epochMs: (expression) => `unix_millis(${expression})` },
};

/** The dialect of a warehouse kind. */
export const dialectOf = (kind: Warehouse["kind"]): Dialect => DIALECTS[kind];

/**
 * A UTC TIMESTAMP literal both warehouses read the same way (DuckDB's TIMESTAMP is naive and
 * the landing stores UTC; BigQuery reads a zone-less literal as UTC).
 */
export function timestampLiteral(at: Date): string {
  return `timestamp '${at.toISOString().replace("T", " ").replace("Z", "")}'`;
}

/** How many categories and brands the top lists show. */
export const TOP_N = 10;

/** Totals over all days: events by type, revenue, and how fresh the models are. */
export const totalsSql = (d: Dialect) => `
    select
        sum(event_count) as events,
        sum(view_count) as views,
        sum(cart_count) as carts,
        sum(remove_from_cart_count) as removals,
        sum(purchase_count) as purchases,
        sum(revenue) as revenue,
        min(event_date) as first_day,
        max(event_date) as last_day,
        ${d.epochMs("max(last_ingested_at)")} as models_landed_until_ms
    from fct_daily_kpis`;

/**
 * Sessions, their users, conversion, and how many sessions reached each funnel step. From
 * fct_sessions rather than summed daily rows: a session spanning midnight counts once.
 */
export const sessionsSql = () => `
    select
        count(*) as sessions,
        count(distinct user_id) as users,
        count(case when is_converted then 1 end) as converted_sessions,
        count(case when view_count > 0 then 1 end) as viewing_sessions,
        count(case when cart_count > 0 then 1 end) as carting_sessions,
        count(case when purchase_count > 0 then 1 end) as purchasing_sessions
    from fct_sessions`;

/** One row per day: events by type and revenue, for the stacked and revenue charts. */
export const dailySql = () => `
    select
        event_date,
        view_count,
        cart_count,
        remove_from_cart_count,
        purchase_count,
        event_count,
        revenue,
        session_count,
        session_conversion_rate
    from fct_daily_kpis
    order by event_date`;

/** Revenue by full category path, best first; NULL paths are left to `unattributedSql`. */
export const topCategoriesSql = () => `
    select
        category_code as name,
        sum(revenue) as revenue,
        sum(purchase_count) as purchases,
        sum(view_count) as views
    from fct_category_performance
    where category_code is not null
    group by category_code
    order by 2 desc, 1
    limit ${TOP_N}`;

/** Revenue by brand (purchases only), best first; NULL brands are left to `unattributedSql`. */
export const topBrandsSql = () => `
    select
        brand as name,
        sum(revenue) as revenue,
        sum(event_count) as purchases
    from fct_ecommerce_events
    where event_type = 'purchase' and brand is not null
    group by brand
    order by 2 desc, 1
    limit ${TOP_N}`;

/** Purchase revenue that carries no category path, and none that carries no brand. */
export const unattributedSql = () => `
    select
        sum(case when category_code is null then revenue else 0 end) as no_category_revenue,
        sum(case when brand is null then revenue else 0 end) as no_brand_revenue
    from fct_ecommerce_events
    where event_type = 'purchase'`;

/**
 * The raw table right now: rows landed (redeliveries included), the newest landing and event
 * times, and rows landed since `since`.
 */
export const landedSql = (d: Dialect, since: Date) => `
    select
        count(*) as rows_landed,
        ${d.epochMs("max(_ingested_at)")} as last_ingested_ms,
        ${d.epochMs("max(event_time)")} as newest_event_ms,
        sum(case when _ingested_at >= ${timestampLiteral(since)} then 1 else 0 end) as recent_rows
    from kafka_ecom_events`;

/** Rows landed per minute since `since`, keyed by the minute's start in epoch minutes. */
export const perMinuteSql = (d: Dialect, since: Date) => `
    select
        floor(${d.epochMs("_ingested_at")} / 60000) as epoch_minute,
        count(*) as row_count
    from kafka_ecom_events
    where _ingested_at >= ${timestampLiteral(since)}
    group by 1
    order by 1`;
