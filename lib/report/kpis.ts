import { formatTable } from "../warehouse/format.ts";
import type { Warehouse } from "../warehouse/warehouse.ts";

/** The questions the demo's closing report answers, as SQL over the dbt models (both warehouses). */
const QUERIES = {
  totals: `
    select
        sum(event_count) as events,
        sum(view_count) as views,
        sum(cart_count) as carts,
        sum(remove_from_cart_count) as removals,
        sum(purchase_count) as purchases,
        round(sum(revenue), 2) as revenue,
        sum(session_count) as sessions,
        round(100.0 * sum(converted_session_count) / nullif(sum(session_count), 0), 2) as session_conversion_pct,
        min(event_date) as first_day,
        max(event_date) as last_day
    from fct_daily_kpis`,
  users: `select count(distinct user_id) as users, count(distinct product_id) as products from stg_ecom_events`,
  categories: `
    select
        coalesce(category_level_1, '(none)') as category,
        sum(view_count) as views,
        sum(cart_count) as carts,
        sum(purchase_count) as purchases,
        round(sum(revenue), 2) as revenue,
        round(100.0 * sum(cart_count) / nullif(sum(view_count), 0), 2) as view_to_cart_pct,
        round(100.0 * sum(purchase_count) / nullif(sum(cart_count), 0), 2) as cart_to_purchase_pct
    from fct_category_performance
    group by 1
    order by revenue desc
    limit 5`,
};

/**
 * The core KPIs as text: totals by event type, revenue, users, conversion, and the top five
 * categories by revenue — what `just demo` and `just report` print after dbt has built.
 */
export async function kpiReport(warehouse: Warehouse): Promise<string> {
  // One at a time: a warehouse session (one DuckDB connection) runs one query at a time.
  const totals = await warehouse.query(QUERIES.totals);
  const users = await warehouse.query(QUERIES.users);
  const categories = await warehouse.query(QUERIES.categories);
  const t = Object.fromEntries(totals.columns.map((c, i) => [c.name, totals.rows[0]?.[i]]));
  const u = Object.fromEntries(users.columns.map((c, i) => [c.name, users.rows[0]?.[i]]));
  const n = (v: unknown) => Number(v ?? 0).toLocaleString("en-US");
  return [
    `Events ${t.first_day} → ${t.last_day}: ${n(t.events)}`,
    `  view ${n(t.views)} · cart ${n(t.carts)} · remove_from_cart ${n(t.removals)} · purchase ${n(t.purchases)}`,
    `Revenue ${n(t.revenue)} · users ${n(u.users)} · products ${n(u.products)} · sessions ${n(t.sessions)} · session conversion ${t.session_conversion_pct}%`,
    "",
    "Top categories by revenue:",
    formatTable(categories.columns, categories.rows),
  ].join("\n");
}
