import { CSV_COLUMNS } from "../event.ts";

/** Where each of CSV_COLUMNS sits in a row of this file, and how many fields a row must have. */
export interface ColumnIndex {
  /** `positions[k]` is the field index of `CSV_COLUMNS[k]`. */
  positions: number[];
  width: number;
  /** The header as written in the file (trimmed), for messages. */
  names: string[];
}

/** The file's header is unusable: names the file, what is missing, what is extra. */
export class CsvHeaderError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly missing: string[] = [],
    readonly extra: string[] = [],
  ) {
    super(`${file}: ${problem}. Expected a header with the columns ${CSV_COLUMNS.join(",")} (any order).`);
    this.name = "CsvHeaderError";
  }
}

/**
 * Maps a header record to column positions. Columns may come in any order; names are trimmed
 * and compared exactly. The header must hold all nine CSV_COLUMNS and nothing else: a missing
 * column would silently become NULL everywhere, and an extra one would be silently dropped.
 */
export function indexColumns(file: string, header: readonly string[]): ColumnIndex {
  const names = header.map((h) => h.trim());
  const seen = new Map<string, number>();
  const duplicates: string[] = [];
  names.forEach((name, i) => {
    if (seen.has(name)) duplicates.push(name);
    else seen.set(name, i);
  });
  const missing = CSV_COLUMNS.filter((c) => !seen.has(c));
  const known = new Set<string>(CSV_COLUMNS);
  const extra = names.filter((n) => !known.has(n));
  if (missing.length > 0 || extra.length > 0 || duplicates.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
    if (extra.length > 0) parts.push(`unexpected column${extra.length > 1 ? "s" : ""} ${extra.map(show).join(", ")}`);
    if (duplicates.length > 0) parts.push(`duplicate column${duplicates.length > 1 ? "s" : ""} ${duplicates.join(", ")}`);
    throw new CsvHeaderError(file, `bad header (${parts.join("; ")})`, missing, extra);
  }
  return { positions: CSV_COLUMNS.map((c) => seen.get(c) as number), width: names.length, names };
}

function show(name: string): string {
  return name === "" ? '""' : name;
}
