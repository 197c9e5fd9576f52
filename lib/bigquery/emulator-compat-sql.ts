/**
 * The SQL side of the emulator compatibility layer (lib/bigquery/emulator-compat.ts): what a
 * query job's text does — its statement type and the table it creates — as BigQuery reports it
 * on a job, and rewrites for what dbt-bigquery emits that the emulator gets wrong.
 * A small tokenizer (comments, string literals, quoted names) rather than regular expressions
 * over the raw text, so a `;`, `as` or `merge` inside a string or comment is never mistaken.
 */

/** A table as the REST API names it. */
export interface TableReference {
  projectId: string;
  datasetId: string;
  tableId: string;
}

/** What one statement does, as far as a job's metadata is concerned. */
export interface Statement {
  /** BigQuery's `statistics.query.statementType`: SELECT, CREATE_TABLE_AS_SELECT, CREATE_VIEW, MERGE, … */
  type: string;
  /** The table or view a CREATE / DROP / ALTER statement names. */
  target?: TableReference;
  orReplace: boolean;
  ifNotExists: boolean;
}

/** What a whole job's query does: its statements, and the type BigQuery reports for the job. */
export interface JobQuery {
  /** SCRIPT when the text holds several statements, else the single statement's type. */
  type: string;
  statements: Statement[];
}

interface Token {
  kind: "word" | "name" | "string" | "punct";
  /** The source text; quoted names without their backticks. */
  text: string;
  start: number;
  end: number;
}

const WORD = /[A-Za-z0-9_]/;

/** Splits GoogleSQL into tokens, dropping whitespace and comments. */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i++;
    } else if ((c === "-" && sql[i + 1] === "-") || c === "#") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "`") {
      i = closingQuote(sql, i, "`");
      tokens.push({ kind: "name", text: sql.slice(start + 1, i - 1), start, end: i });
    } else if (c === "'" || c === '"' || (/[rRbB]/.test(c) && /^[rRbB]?['"]/.test(sql.slice(i + 1, i + 3)))) {
      while (sql[i] !== "'" && sql[i] !== '"') i++;
      const quote = sql.startsWith(sql[i]!.repeat(3), i) ? sql[i]!.repeat(3) : sql[i]!;
      i = closingQuote(sql, i, quote);
      tokens.push({ kind: "string", text: sql.slice(start, i), start, end: i });
    } else if (WORD.test(c)) {
      while (i < sql.length && WORD.test(sql[i]!)) i++;
      tokens.push({ kind: "word", text: sql.slice(start, i), start, end: i });
    } else {
      i++;
      tokens.push({ kind: "punct", text: c, start, end: i });
    }
  }
  return tokens;
}

/** The index just past the quote that closes the one opening at `from` (backslash escapes). */
function closingQuote(sql: string, from: number, quote: string): number {
  let i = from + quote.length;
  while (i < sql.length) {
    if (sql[i] === "\\") i += 2;
    else if (sql.startsWith(quote, i)) return i + quote.length;
    else i++;
  }
  return sql.length;
}

/** Top-level statements: token runs between `;`. Empty ones (a trailing `;`) are dropped. */
function splitStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === "punct" && token.text === ";") statements.push([]);
    else statements.at(-1)!.push(token);
  }
  return statements.filter((statement) => statement.length > 0);
}

const isWord = (token: Token | undefined, ...words: string[]) =>
  token?.kind === "word" && words.includes(token.text.toLowerCase());
const isPunct = (token: Token | undefined, char: string) => token?.kind === "punct" && token.text === char;

/**
 * A dotted name from `tokens[at]` on: adjacent words, quoted names, dots and dashes
 * (`p`.`d`.`t`, `p.d.t`, d.t, my-project.d.t). Returns its parts and the index after it.
 */
function readName(tokens: Token[], at: number): { parts: string[]; next: number } {
  let i = at;
  let text = "";
  while (i < tokens.length) {
    const token = tokens[i]!;
    const partOfName = token.kind === "word" || token.kind === "name" || isPunct(token, ".") || isPunct(token, "-");
    if (!partOfName || (i > at && tokens[i - 1]!.end !== token.start)) break;
    text += token.text;
    i++;
  }
  return { parts: text.split(".").filter(Boolean), next: i };
}

function tableReference(parts: string[], defaults: Partial<TableReference>): TableReference | undefined {
  const [tableId, datasetId = defaults.datasetId, projectId = defaults.projectId] = [...parts].reverse();
  return tableId && datasetId && projectId ? { projectId, datasetId, tableId } : undefined;
}

/** True when the word `as` appears outside parentheses from `tokens[at]` on: CREATE TABLE … AS query. */
function hasTopLevelAs(tokens: Token[], at: number): boolean {
  let depth = 0;
  for (const token of tokens.slice(at)) {
    if (isPunct(token, "(")) depth++;
    else if (isPunct(token, ")")) depth--;
    else if (depth === 0 && isWord(token, "as")) return true;
  }
  return false;
}

/** Classifies one statement the way BigQuery's job statistics do. */
function describeStatement(tokens: Token[], defaults: Partial<TableReference>): Statement {
  const statement: Statement = { type: "SELECT", orReplace: false, ifNotExists: false };
  let i = 0;
  while (isPunct(tokens[i], "(")) i++;
  const verb = tokens[i]?.kind === "word" ? tokens[i]!.text.toLowerCase() : "";
  if (verb === "select" || verb === "with") return statement;
  if (["insert", "update", "delete", "merge"].includes(verb)) return { ...statement, type: verb.toUpperCase() };
  if (verb === "truncate") return { ...statement, type: "TRUNCATE_TABLE" };
  if (!["create", "drop", "alter"].includes(verb)) return { ...statement, type: "SCRIPT" };

  i++;
  if (isWord(tokens[i], "or") && isWord(tokens[i + 1], "replace")) {
    statement.orReplace = true;
    i += 2;
  }
  if (isWord(tokens[i], "temp", "temporary")) i++;
  // table, view, schema, function …; two words for materialized views, external and snapshot tables.
  let kind = tokens[i]?.text.toLowerCase() ?? "";
  if (isWord(tokens[i], "materialized", "external", "snapshot") && tokens[i + 1]) kind += `_${tokens[++i]!.text.toLowerCase()}`;
  i++;
  if (isWord(tokens[i], "if") && isWord(tokens[i + 1], "not") && isWord(tokens[i + 2], "exists")) {
    statement.ifNotExists = true;
    i += 3;
  } else if (isWord(tokens[i], "if") && isWord(tokens[i + 1], "exists")) {
    i += 2;
  }
  const name = readName(tokens, i);
  statement.type = `${verb.toUpperCase()}_${kind.toUpperCase()}`;
  if (verb === "create" && kind === "table" && hasTopLevelAs(tokens, name.next)) statement.type = "CREATE_TABLE_AS_SELECT";
  if (kind.endsWith("table") || kind.endsWith("view")) statement.target = tableReference(name.parts, defaults);
  return statement;
}

/**
 * What a job's query does. `defaults` stands in for the parts of a name the SQL leaves out (the
 * job's project and `defaultDataset`).
 */
export function describeQuery(sql: string, defaults: Partial<TableReference> = {}): JobQuery {
  const statements = splitStatements(tokenize(sql)).map((tokens) => describeStatement(tokens, defaults));
  return { type: statements.length === 1 ? statements[0]!.type : "SCRIPT", statements };
}

const newlines = (text: string) => text.split("\n").length - 1;

const TIME_OF_DAY = /\d:\d\d/;
/** A zone offset, `Z`, or a zone name after a space (`UTC`, `Europe/Paris`) ends the string. */
const ZONE_SUFFIX = /(?:[zZ]|[+-]\d{1,2}(?::?\d\d)?|\s[A-Za-z][A-Za-z_/+-]*)\s*$/;

/**
 * Rewrites forms dbt-bigquery 1.11 emits that the emulator (googlesqlite 0.3) rejects or
 * misreads, into forms that mean exactly the same on BigQuery:
 * - `MERGE … USING (SELECT * FROM t) AS s` → `USING t AS s`: the emulator's MERGE takes only a
 *   table as source ("source must be a single-table reference").
 * - `SET (v) = (SELECT AS STRUCT e FROM …)` → `SET v = (SELECT e FROM …)`: one variable
 *   assigned from a one-field struct is that field; the emulator has no tuple SET.
 * - `[SAFE_]CAST('2024-01-01 00:00:01' AS TIMESTAMP)` → `…('2024-01-01 00:00:01+00:00' …)`: the
 *   emulator reads a string without a zone, cast to TIMESTAMP, in America/Los_Angeles
 *   (googlesql's default zone) where BigQuery reads UTC (it already fixes TIMESTAMP literals
 *   the same way). Only literal strings with a time of day are rewritten (dbt's
 *   `run_started_at`, unit-test fixtures); a column cast at run time keeps the emulator's zone.
 * - Comments before `DECLARE` / `SET`: the emulator recognises a script's variables only when
 *   the statement starts with the keyword, and dbt puts its query comment first.
 * Anything else is returned unchanged.
 */
export function rewriteForEmulator(sql: string): string {
  const tokens = tokenize(sql);
  const edits: { start: number; end: number; text: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = (offset: number) => tokens[i + offset];
    if (isWord(t(0), "using") && isPunct(t(1), "(") && isWord(t(2), "select") && isPunct(t(3), "*") && isWord(t(4), "from")) {
      const name = readName(tokens, i + 5);
      if (name.parts.length > 0 && isPunct(tokens[name.next], ")")) {
        const nameText = sql.slice(tokens[i + 5]!.start, tokens[name.next - 1]!.end);
        const removed = sql.slice(t(1)!.start, tokens[name.next]!.end);
        edits.push({ start: t(1)!.start, end: tokens[name.next]!.end, text: nameText + "\n".repeat(newlines(removed)) });
      }
    } else if (isWord(t(0), "set") && isPunct(t(1), "(") && t(2)?.kind !== "punct" && isPunct(t(3), ")") && isPunct(t(4), "=")
      && isPunct(t(5), "(") && isWord(t(6), "select") && isWord(t(7), "as") && isWord(t(8), "struct")) {
      edits.push({ start: t(1)!.start, end: t(1)!.end, text: "" });
      edits.push({ start: t(3)!.start, end: t(3)!.end, text: "" });
      edits.push({ start: t(7)!.start, end: t(8)!.end, text: "" });
    } else if (isWord(t(0), "cast", "safe_cast") && isPunct(t(1), "(") && t(2)?.kind === "string"
      && isWord(t(3), "as") && isWord(t(4), "timestamp") && isPunct(t(5), ")")) {
      const literal = /^(['"]{3}|['"])(.*)\1$/s.exec(t(2)!.text);
      if (literal && TIME_OF_DAY.test(literal[2]!) && !ZONE_SUFFIX.test(literal[2]!)) {
        const closing = t(2)!.end - literal[1]!.length;
        edits.push({ start: closing, end: closing, text: "+00:00" });
      }
    }
  }
  // Comments before a DECLARE or SET become blanks (newlines kept, so error positions hold).
  for (let i = 0, boundary = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const startsStatement = i === 0 || isPunct(tokens[i - 1], ";");
    if (startsStatement && isWord(token, "declare", "set") && sql.slice(boundary, token.start).trim()) {
      edits.push({ start: boundary, end: token.start, text: sql.slice(boundary, token.start).replace(/[^\n]/g, " ") });
    }
    if (isPunct(token, ";")) boundary = token.end;
  }
  edits.sort((a, b) => a.start - b.start);
  let result = sql;
  for (const edit of edits.reverse()) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}
