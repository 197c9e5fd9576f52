/** A table of already formatted cells; `align` per column (default: left for the first, right for the rest). */
export interface Table {
  headers: string[];
  rows: string[][];
  align?: ("left" | "right")[];
}

const alignOf = (table: Table, column: number) => table.align?.[column] ?? (column === 0 ? "left" : "right");

function checkShape(table: Table): void {
  table.rows.forEach((row, i) => {
    if (row.length !== table.headers.length) {
      throw new RangeError(`table row ${i + 1} has ${row.length} cells, expected ${table.headers.length} (one per header)`);
    }
  });
}

// `|` would end a markdown cell early; a newline would end the row.
const escapeCell = (cell: string) => cell.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/**
 * GitHub-flavoured markdown, padded so the source reads as a table too (the report is pasted into
 * the README, where people read it raw in diffs). Right-aligned columns get a `---:` rule.
 */
export function renderMarkdown(table: Table): string {
  checkShape(table);
  const cells = [table.headers, ...table.rows].map((row) => row.map(escapeCell));
  const widths = table.headers.map((_, c) => Math.max(3, ...cells.map((row) => row[c]!.length)));
  const pad = (cell: string, c: number) => (alignOf(table, c) === "right" ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!));
  const line = (row: string[]) => `| ${row.map(pad).join(" | ")} |`;
  const rule = widths.map((w, c) => (alignOf(table, c) === "right" ? `${"-".repeat(w - 1)}:` : "-".repeat(w)));
  return [line(cells[0]!), `| ${rule.join(" | ")} |`, ...cells.slice(1).map(line)].join("\n");
}

/** A plain-text table for a terminal: columns separated by two spaces, a dashed rule under the header. */
export function renderPlain(table: Table): string {
  checkShape(table);
  const all = [table.headers, ...table.rows];
  const widths = table.headers.map((_, c) => Math.max(...all.map((row) => row[c]!.length)));
  const pad = (cell: string, c: number) => (alignOf(table, c) === "right" ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!));
  const line = (row: string[]) => row.map(pad).join("  ").trimEnd();
  return [line(table.headers), widths.map((w) => "-".repeat(w)).join("  "), ...table.rows.map(line)].join("\n");
}
