import type { Cell, QueryResult } from "../warehouse/warehouse.ts";

/**
 * Query results as JSON-ready records for the dashboard. Counts arrive as bigint from DuckDB
 * and sums of money as exact decimal text from both warehouses; the page only draws and
 * formats them, so every numeric column becomes a JS number here (counts stay far below 2^53,
 * and revenue keeps its cents in a double up to ~90 billion).
 */

/** A result row keyed by column name: numbers for numeric columns, text or null otherwise. */
export type JsonRow = Record<string, number | string | boolean | null>;

/** The rows of `result` as records, numeric columns converted to numbers. */
export function toRecords(result: QueryResult): JsonRow[] {
  return result.rows.map((row) => {
    const record: JsonRow = {};
    result.columns.forEach((column, i) => {
      record[column.name] = column.numeric ? toNumber(row[i] ?? null) : toJsonValue(row[i] ?? null);
    });
    return record;
  });
}

/** The single row of an aggregate query (an empty record when the query returned none). */
export function firstRecord(result: QueryResult): JsonRow {
  return toRecords(result)[0] ?? {};
}

/** A numeric cell as a number; NULL stays null (an aggregate over no rows). */
export function toNumber(cell: Cell): number | null {
  if (cell === null) return null;
  const value = Number(cell);
  return Number.isFinite(value) ? value : null;
}

function toJsonValue(cell: Cell): number | string | boolean | null {
  return typeof cell === "bigint" ? cell.toString() : cell;
}

/** A numeric field of a record, 0 when absent or NULL (sums over no rows). */
export function num(record: JsonRow, name: string): number {
  const value = record[name];
  return typeof value === "number" ? value : 0;
}
