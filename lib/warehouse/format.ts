import type { Cell, Column, QueryResult } from "./warehouse.ts";

/**
 * Renders query results for people (an aligned table) and for programs (CSV, JSON). Shared by
 * `just sql` and the tests; the dashboard renders its own HTML from the same QueryResult.
 */

/** The output formats of `just sql`. */
export const FORMATS = ["table", "csv", "json"] as const;
export type Format = (typeof FORMATS)[number];

/** How a NULL looks in a table (CSV writes an empty field, JSON `null`). */
export const NULL_TEXT = "NULL";

/** Table cells longer than this are cut with "…" (CSV and JSON are never cut). */
export const MAX_CELL_WIDTH = 80;

/** A cell as text: numbers as JS prints them, NULL as NULL_TEXT. */
export function cellText(cell: Cell): string {
  if (cell === null) return NULL_TEXT;
  return String(cell);
}

/** Control characters would break the table's lines: show them escaped. */
const visible = (text: string) =>
  text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === "\n" ? "\\n" : c === "\t" ? "\\t" : c === "\r" ? "\\r" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`));

/** Cuts `text` to `width` terminal columns, ending with "…" when cut. */
function clip(text: string, width: number): string {
  if (Bun.stringWidth(text) <= width) return text;
  let out = "";
  for (const ch of text) {
    if (Bun.stringWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

const pad = (text: string, width: number, right: boolean) => {
  const fill = " ".repeat(Math.max(0, width - Bun.stringWidth(text)));
  return right ? fill + text : text + fill;
};

/**
 * An aligned text table: a header, a rule, one line per row; numeric columns right-aligned;
 * wide characters measured by their terminal width.
 */
export function formatTable(columns: readonly Column[], rows: readonly Cell[][]): string {
  const header = columns.map((column) => clip(visible(column.name), MAX_CELL_WIDTH));
  const body = rows.map((row) => row.map((cell) => clip(visible(cellText(cell)), MAX_CELL_WIDTH)));
  const widths = header.map((name, i) => Math.max(Bun.stringWidth(name), ...body.map((row) => Bun.stringWidth(row[i] ?? ""))));
  // Headers of numeric columns sit right too, above the digits.
  const line = (cells: string[]) =>
    cells
      .map((text, i) => pad(text, widths[i]!, columns[i]!.numeric))
      .join(" │ ")
      .trimEnd();
  return [line(header), widths.map((w) => "─".repeat(w)).join("─┼─"), ...body.map(line)].join("\n");
}

/** The line after a table: "(3 rows, 12 ms)" or "(1,000 of 885,129 rows shown, 1.20 s)". */
export function formatSummary(result: Pick<QueryResult, "rows" | "totalRows" | "elapsedMs">): string {
  const count = (n: number) => n.toLocaleString("en-US");
  const rows =
    result.rows.length < result.totalRows
      ? `${count(result.rows.length)} of ${count(result.totalRows)} rows shown`
      : `${count(result.totalRows)} row${result.totalRows === 1 ? "" : "s"}`;
  const ms = result.elapsedMs;
  const elapsed = ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
  return `(${rows}, ${elapsed})`;
}

/** One CSV field (RFC 4180): NULL is an empty field, an empty string is `""`. */
function csvField(cell: Cell): string {
  if (cell === null) return "";
  const text = String(cell);
  return text === "" || /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV with a header line, CRLF-free (`\n` line ends), no trailing newline. */
export function formatCsv(columns: readonly Column[], rows: readonly Cell[][]): string {
  return [columns.map((column) => csvField(column.name)), ...rows.map((row) => row.map(csvField))]
    .map((fields) => fields.join(","))
    .join("\n");
}

/** A cell as a JSON value: integers beyond 2^53 as strings, so no reader rounds them. */
function jsonValue(cell: Cell): string | number | boolean | null {
  if (typeof cell === "bigint") {
    return cell >= BigInt(Number.MIN_SAFE_INTEGER) && cell <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(cell) : cell.toString();
  }
  if (typeof cell === "number" && !Number.isFinite(cell)) return String(cell);
  return cell;
}

/** A JSON array of objects keyed by column name, one row per line. */
export function formatJson(columns: readonly Column[], rows: readonly Cell[][]): string {
  if (rows.length === 0) return "[]";
  const lines = rows.map((row) => JSON.stringify(Object.fromEntries(columns.map((column, i) => [column.name, jsonValue(row[i] ?? null)]))));
  return `[\n${lines.join(",\n")}\n]`;
}

/** Renders a result in `format` (without the summary line). */
export function formatResult(format: Format, result: Pick<QueryResult, "columns" | "rows">): string {
  switch (format) {
    case "csv":
      return formatCsv(result.columns, result.rows);
    case "json":
      return formatJson(result.columns, result.rows);
    default:
      return formatTable(result.columns, result.rows);
  }
}
