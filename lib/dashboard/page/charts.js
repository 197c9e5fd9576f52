// The page's three Chart.js charts: their configurations and one way to update them. Chart.js
// is the global `Chart` from /vendor/chart.umd.min.js (its UMD build, served by the dashboard).
import { fmt } from "./format.js";

/** Event types in stacking order, with their colours (the funnel uses them too). */
export const EVENT_TYPES = [
  { key: "view", label: "view", color: "#4c78a8" },
  { key: "cart", label: "cart", color: "#f58518" },
  { key: "removeFromCart", label: "remove_from_cart", color: "#b8b0ac" },
  { key: "purchase", label: "purchase", color: "#54a24b" },
];
export const REVENUE_COLOR = "#7b5cc4";
const LIVE_COLOR = "#3b6fd8";

/**
 * Creates chart `name` in `charts` once, then only swaps its data (no re-animation on every
 * refresh). Returns false when Chart.js is not loaded.
 */
export function updateChart(charts, name, canvas, config, fill) {
  if (!window.Chart) return false;
  let chart = charts[name];
  if (!chart) chart = charts[name] = new Chart(canvas, config());
  fill(chart);
  chart.update("none");
  return true;
}

/** Chart.js defaults matching the stylesheet (call once, before the first chart). */
export function styleCharts(fontFamily) {
  if (!window.Chart) return;
  Chart.defaults.font.family = fontFamily;
  Chart.defaults.color = "#5f6b7d";
  Chart.defaults.borderColor = "#e3e7ee";
}

function dayAxis(stacked) {
  return {
    stacked,
    grid: { display: false },
    ticks: {
      maxRotation: 0,
      autoSkipPadding: 14,
      callback(value) {
        return fmt.day(this.getLabelForValue(value));
      },
    },
  };
}

/** Events per day, stacked by type, with a per-day total in the tooltip. */
export function eventsChartConfig() {
  return {
    type: "bar",
    data: {
      labels: [],
      datasets: EVENT_TYPES.map((type) => ({
        label: type.label,
        data: [],
        backgroundColor: type.color,
        stack: "events",
        categoryPercentage: 0.9,
        barPercentage: 1,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: dayAxis(true),
        y: { stacked: true, beginAtZero: true, ticks: { callback: (value) => fmt.compact(value) } },
      },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12, boxHeight: 12 } },
        tooltip: {
          callbacks: {
            title: (items) => fmt.day(items[0].label, true),
            label: (item) => ` ${item.dataset.label}: ${fmt.int(item.parsed.y)}`,
            footer: (items) => `total: ${fmt.int(items.reduce((sum, item) => sum + item.parsed.y, 0))}`,
          },
        },
      },
    },
  };
}

/** Revenue per day as a filled line. */
export function revenueChartConfig() {
  return {
    type: "line",
    data: {
      labels: [],
      datasets: [
        {
          label: "revenue",
          data: [],
          borderColor: REVENUE_COLOR,
          backgroundColor: "rgba(123, 92, 196, 0.14)",
          fill: true,
          pointRadius: 0,
          pointHoverRadius: 4,
          borderWidth: 2,
          tension: 0.25,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: dayAxis(false),
        y: { beginAtZero: true, ticks: { callback: (value) => fmt.compact(value) } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => fmt.day(items[0].label, true),
            label: (item) => ` revenue: ${fmt.money(item.parsed.y)}`,
          },
        },
      },
    },
  };
}

/** Rows landed per minute over the live window. */
export function liveChartConfig() {
  return {
    type: "bar",
    data: { labels: [], datasets: [{ label: "rows landed", data: [], backgroundColor: LIVE_COLOR, borderRadius: 2 }] },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 16 } },
        y: { beginAtZero: true, ticks: { maxTicksLimit: 4, precision: 0, callback: (value) => fmt.compact(value) } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => ` ${fmt.int(item.parsed.y)} rows landed` } },
      },
    },
  };
}
