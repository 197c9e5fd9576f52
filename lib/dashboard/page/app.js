// The dashboard page: polls /api/overview (dbt's models) and /api/live (the raw table) and
// renders them; charts are drawn by charts.js with Chart.js (a classic script loaded before this
// module). Every text taken from the data goes in through textContent, never as HTML.
import {
  EVENT_TYPES,
  REVENUE_COLOR,
  eventsChartConfig,
  liveChartConfig,
  revenueChartConfig,
  styleCharts,
  updateChart,
} from "./charts.js";
import { fmt } from "./format.js";

// Lag below this counts as "streaming" (the consumer flushes at least every few seconds).
const STREAMING_LAG_SECONDS = 60;

const $ = (id) => document.getElementById(id);
const state = {
  refreshSeconds: 5,
  overviewVersion: null,
  /** What the subtitle shows: set by the overview, completed by the live panel's newest landing. */
  warehouse: null,
  kpis: null,
  lastIngestedMs: null,
  charts: {},
  messages: new Map(),
  timer: null,
};

// ---------- messages ----------

/** Shows (or with `null`, clears) the message under `key`; messages are shown in key order. */
function setMessage(key, message) {
  if (message) state.messages.set(key, message);
  else state.messages.delete(key);
  const box = $("messages");
  box.replaceChildren(
    ...[...state.messages.values()].map((m) => {
      const div = document.createElement("div");
      div.className = `message ${m.kind ?? "info"}`;
      if (m.title) {
        const strong = document.createElement("strong");
        strong.textContent = m.title;
        div.append(strong);
      }
      div.append(withCommands(m.text, m.commands ?? []));
      return div;
    }),
  );
}

/** `text` as nodes, with every command it mentions (e.g. `just dbt`) set in code. */
function withCommands(text, commands) {
  const span = document.createElement("span");
  if (commands.length === 0) {
    span.textContent = text;
    return span;
  }
  const pattern = new RegExp(`(${commands.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`);
  for (const part of text.split(pattern)) {
    if (commands.includes(part)) {
      const code = document.createElement("code");
      code.textContent = part;
      span.append(code);
    } else {
      span.append(part);
    }
  }
  return span;
}

// ---------- data ----------

/** GETs JSON; a non-2xx answer throws the server's error message. */
async function getJson(path) {
  let response;
  try {
    response = await fetch(path, { cache: "no-store" });
  } catch {
    throw new Error("cannot reach the dashboard server (is `just dashboard` still running?)");
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: fall through to the status.
  }
  if (!response.ok) throw new Error(body?.error ?? `${path} answered HTTP ${response.status}`);
  return body;
}

async function refreshOverview() {
  let response;
  try {
    response = await getJson("/api/overview");
  } catch (error) {
    setMessage("overview", { kind: "error", title: "The overview could not be read", text: error.message });
    return;
  }
  // The lock notice says what the "dbt is rebuilding" / "dbt is running" banner below says.
  const dbtBusy = response.stale || response.status === "locked";
  const notices = response.notices.filter((notice) => !(dbtBusy && /\blocked\b/.test(notice)));
  setMessage("notices", notices.length ? { kind: "warn", text: notices.join("\n") } : null);
  if (response.status !== "ok") {
    state.overviewVersion = null;
    state.warehouse = response.warehouse;
    state.kpis = null;
    $("kpis").hidden = true;
    $("charts").hidden = true;
    setMessage("overview", {
      kind: response.status === "locked" ? "warn" : "info",
      title: response.status === "no-data" ? "Nothing to show yet" : response.status === "no-models" ? "Models not built yet" : "dbt is running",
      text: response.message,
      commands: response.commands,
    });
    return;
  }
  setMessage(
    "overview",
    response.stale
      ? {
          kind: "warn",
          title: "dbt is rebuilding the models",
          text: `Showing the figures read at ${fmt.time(response.readAtMs)}; they update when dbt finishes.`,
        }
      : null,
  );
  $("kpis").hidden = false;
  $("charts").hidden = false;
  const version = `${response.readAtMs}`;
  if (version !== state.overviewVersion) {
    state.overviewVersion = version;
    renderOverview(response.overview);
  }
  state.warehouse = response.warehouse;
  state.kpis = response.overview.kpis;
}

async function refreshLive() {
  let response;
  try {
    response = await getJson("/api/live");
  } catch (error) {
    $("liveDot").className = "dot error";
    showLiveMessage(`Live figures unavailable: ${error.message}`, []);
    return;
  }
  if (response.status !== "ok") {
    $("liveDot").className = "dot";
    state.lastIngestedMs = null;
    showLiveMessage("Waiting for the first rows to land in kafka_ecom_events (the consumer writes them: just consume).", [
      "just consume",
    ]);
    return;
  }
  $("liveMessage").hidden = true;
  $("liveBody").hidden = false;
  renderLive(response.live);
}

function showLiveMessage(text, commands) {
  const box = $("liveMessage");
  box.replaceChildren(withCommands(text, commands));
  box.hidden = false;
  $("liveBody").hidden = true;
}

async function refresh() {
  await Promise.all([refreshOverview(), refreshLive()]);
  if (state.warehouse) renderSubtitle(state.warehouse, state.kpis);
  $("updated").textContent = `Updated ${fmt.time(Date.now())} · refreshes every ${state.refreshSeconds} s`;
}

// ---------- rendering ----------

function renderSubtitle(warehouse, kpis) {
  const where = warehouse.kind === "bigquery" ? `BigQuery ${warehouse.location}` : "Local DuckDB warehouse";
  const parts = [where];
  if (kpis?.firstDay) parts.push(`${fmt.day(kpis.firstDay, true)} → ${fmt.day(kpis.lastDay, true)}`);
  let freshness = "";
  if (kpis?.modelsLandedUntilMs) {
    freshness = `Models include the rows landed until ${fmt.dateTime(kpis.modelsLandedUntilMs)}`;
    // A second of slack: the model's timestamp and the raw maximum are the same row's when current.
    if (state.lastIngestedMs && state.lastIngestedMs > kpis.modelsLandedUntilMs + 1000) {
      freshness += "; newer rows have landed since (run just dbt to include them)";
    }
  }
  $("freshness").textContent = freshness;
  $("subtitle").textContent = parts.join(" · ");
  $("footer").textContent =
    `Overview from dbt's core models, live panel from the raw table kafka_ecom_events · ${warehouse.kind} at ${warehouse.location}`;
}

function setKpi(name, text, title) {
  const node = document.querySelector(`[data-kpi="${name}"]`);
  node.textContent = text;
  if (title) node.title = title;
}

function renderOverview(overview) {
  const k = overview.kpis;
  setKpi("events", fmt.int(k.events));
  setKpi("eventsDetail", `${fmt.int(k.views)} views · ${fmt.int(k.carts)} carts · ${fmt.int(k.purchases)} purchases`);
  setKpi("revenue", fmt.moneyShort(k.revenue), fmt.money(k.revenue));
  setKpi("revenueDetail", k.purchases ? `${fmt.money(k.revenue / k.purchases)} per purchase` : "no purchases");
  setKpi("users", fmt.int(k.users));
  setKpi("usersDetail", k.users ? `${(k.sessions / k.users).toFixed(1)} sessions per user` : "");
  setKpi("sessions", fmt.int(k.sessions));
  setKpi("sessionsDetail", `${fmt.int(k.convertedSessions)} with a purchase`);
  setKpi("conversion", fmt.percent(k.sessionConversionRate));
  setKpi("conversionDetail", "of sessions end in a purchase");
  renderDaily(overview.daily);
  renderFunnel(overview.funnel);
  renderRanking($("categories"), overview.categories, "No purchases with a category yet.");
  renderRanking($("brands"), overview.brands, "No purchases with a brand yet.");
  $("categoriesNote").textContent = unattributedNote(overview.unattributed.noCategoryRevenue, k.revenue, "category");
  $("brandsNote").textContent = unattributedNote(overview.unattributed.noBrandRevenue, k.revenue, "brand");
}

function unattributedNote(amount, total, what) {
  if (!amount || !total) return "";
  return `${fmt.percent(amount / total)} of revenue (${fmt.moneyShort(amount)}) comes from purchases without a ${what}.`;
}

function renderFunnel(steps) {
  const top = Math.max(1, steps[0]?.events ?? 0);
  $("funnel").replaceChildren(
    ...steps.map((step, i) => {
      const li = document.createElement("li");
      const row = element("div", "row");
      row.append(element("span", "name", step.step), element("span", "count", `${fmt.int(step.events)} events`));
      const bar = element("div", "bar");
      const fill = element("span");
      fill.style.width = `${Math.min(100, (100 * step.events) / top)}%`;
      fill.style.background = EVENT_TYPES.find((t) => t.key === step.step).color;
      bar.append(fill);
      const rates =
        i === 0
          ? `${fmt.int(step.sessions)} sessions`
          : `${fmt.percent(step.eventRate)} of ${steps[i - 1].step} events · ${fmt.int(step.sessions)} sessions (${fmt.percent(step.sessionRate)})`;
      li.append(row, bar, element("p", "rates", rates));
      return li;
    }),
  );
}

function renderRanking(list, items, emptyText) {
  if (items.length === 0) {
    list.replaceChildren(element("li", "empty", emptyText));
    return;
  }
  const top = Math.max(...items.map((item) => item.revenue), 1);
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      const row = element("div", "row");
      const name = element("span", "name", item.name);
      name.title = item.name;
      const amount = element("span", "amount", fmt.moneyShort(item.revenue));
      amount.title = `${fmt.money(item.revenue)} from ${fmt.int(item.purchases)} purchases`;
      amount.append(element("span", "share", fmt.percent(item.share)));
      row.append(name, amount);
      const bar = element("div", "bar");
      const fill = element("span");
      fill.style.width = `${(100 * item.revenue) / top}%`;
      fill.style.background = REVENUE_COLOR;
      bar.append(fill);
      li.append(row, bar);
      return li;
    }),
  );
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderLive(live) {
  state.lastIngestedMs = live.lastIngestedMs;
  $("liveRows").textContent = fmt.int(live.rowsLanded);
  $("liveRecentLabel").textContent = `Last ${live.windowMinutes} min`;
  $("liveRecent").textContent = fmt.int(live.recentRows);
  // The current minute is still filling: the rate is the last complete minute's.
  const complete = live.perMinute.slice(0, -1);
  $("liveRate").textContent = fmt.int(complete.length ? complete[complete.length - 1].rows : 0);
  $("liveLag").textContent = fmt.duration(live.ingestionLagSeconds);
  $("liveLag").title = live.lastIngestedMs ? `last row landed ${fmt.dateTime(live.lastIngestedMs)}` : "";
  $("liveNewest").textContent = live.newestEventMs ? fmt.dateTime(live.newestEventMs) : "–";
  $("liveNewest").title = "the latest event_time among the landed rows";
  const streaming = live.ingestionLagSeconds !== null && live.ingestionLagSeconds < STREAMING_LAG_SECONDS;
  $("liveDot").className = streaming ? "dot streaming" : "dot";
  $("liveDot").title = streaming ? "rows are landing" : "no rows landed in the last minute";
  const labels = live.perMinute.map((point) => fmt.minute(point.minuteMs));
  const data = live.perMinute.map((point) => point.rows);
  drawChart("live", $("liveChart"), liveChartConfig, (chart) => {
    chart.data.labels = labels;
    chart.data.datasets[0].data = data;
  });
}

// ---------- charts ----------

function renderDaily(daily) {
  const labels = daily.map((point) => point.date);
  drawChart("events", $("eventsChart"), eventsChartConfig, (chart) => {
    chart.data.labels = labels;
    EVENT_TYPES.forEach((type, i) => {
      chart.data.datasets[i].data = daily.map((point) => point[type.key]);
    });
  });
  drawChart("revenue", $("revenueChart"), revenueChartConfig, (chart) => {
    chart.data.labels = labels;
    chart.data.datasets[0].data = daily.map((point) => point.revenue);
  });
}

/** Draws through charts.js, or says once that Chart.js is missing. */
function drawChart(name, canvas, config, fill) {
  if (!updateChart(state.charts, name, canvas, config, fill)) {
    setMessage("chartjs", { kind: "error", text: "Chart.js did not load (/vendor/chart.umd.min.js): charts are not drawn." });
  }
}

// ---------- start ----------

async function start() {
  styleCharts(getComputedStyle(document.documentElement).fontFamily);
  try {
    const config = await getJson("/api/config");
    state.refreshSeconds = config.refreshSeconds;
  } catch (error) {
    setMessage("config", { kind: "error", text: error.message });
  }
  const loop = async () => {
    // A hidden tab does not need fresh figures; it refreshes as soon as it is shown again.
    if (!document.hidden) await refresh();
    state.timer = setTimeout(loop, state.refreshSeconds * 1000);
  };
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) {
      clearTimeout(state.timer);
      loop();
    }
  });
  await loop();
}

start();
