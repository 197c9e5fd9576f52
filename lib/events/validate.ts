import type { ColumnIndex } from "./csv/header.ts";
import type { CsvRecords } from "./csv/parser.ts";
import { EVENT_TYPES, type EcomEvent } from "./event.ts";
import { EVENT_TIME_FORMATS, MAX_EVENT_TIME, MIN_EVENT_TIME, parseEventTime } from "./timestamp.ts";

/**
 * A CSV row that did not become an event: where it is, which field was wrong (null when the
 * whole row was: column count, quoting), why, and the row's text as it stands in the file.
 */
export interface Rejection {
  line: number;
  field: string | null;
  reason: string;
  raw: string;
}

/** `line 17: price "-3" must be a finite number ≥ 0` — how rejections are shown to a person. */
export function formatRejection(r: Rejection, file?: string): string {
  return `${file === undefined ? "line " : `${file}:`}${r.line}: ${r.reason}`;
}

/** The events of a batch, the line each came from, and the rows that were refused. */
export interface ValidatedBatch {
  events: EcomEvent[];
  lines: number[];
  rejections: Rejection[];
}

/** Why one row is invalid (returned, not thrown: bad rows are routine, exceptions are slow). */
export class RowProblem {
  constructor(
    readonly field: string | null,
    readonly reason: string,
  ) {}
}

const TYPE_LIST = EVENT_TYPES.join(", ");
const RAW_LIMIT = 1000;

/**
 * Turns one row's fields into an EcomEvent, or says what is wrong with it. Rules (the data
 * contract): surrounding spaces are trimmed; an empty optional field is null; event_time is
 * `YYYY-MM-DD HH:MM:SS UTC` or ISO-8601 with a zone, between 1970 and 2099; event_type must be
 * one of the four known types, exactly (an unknown type is refused rather than passed on, so a
 * typo or a new upstream type shows up here, not as a silent hole in the dashboard's funnel);
 * product_id and user_id are required; price is empty (null) or a finite decimal number ≥ 0.
 */
export function validateRow(fields: readonly string[], columns: ColumnIndex): EcomEvent | RowProblem {
  if (fields.length !== columns.width) {
    return new RowProblem(null, `expected ${columns.width} columns (as in the header), found ${fields.length}`);
  }
  const p = columns.positions;
  const timeText = clean(fields[p[0] as number] as string);
  if (timeText === "") return new RowProblem("event_time", `event_time is required (${EVENT_TIME_FORMATS})`);
  const eventTime = parseEventTime(timeText);
  if (Number.isNaN(eventTime)) {
    return new RowProblem("event_time", `event_time ${quote(timeText)} must be ${EVENT_TIME_FORMATS}`);
  }
  if (eventTime < MIN_EVENT_TIME || eventTime >= MAX_EVENT_TIME) {
    return new RowProblem("event_time", `event_time ${quote(timeText)} must be between 1970-01-01 and 2099-12-31`);
  }

  const typeText = clean(fields[p[1] as number] as string);
  const eventType = knownType(typeText);
  if (eventType === undefined) {
    return new RowProblem(
      "event_type",
      typeText === "" ? `event_type is required (one of ${TYPE_LIST})` : `event_type ${quote(typeText)} must be one of ${TYPE_LIST}`,
    );
  }

  const productId = clean(fields[p[2] as number] as string);
  if (productId === "") return new RowProblem("product_id", "product_id is required");
  const userId = clean(fields[p[7] as number] as string);
  if (userId === "") return new RowProblem("user_id", "user_id is required");

  const priceText = clean(fields[p[6] as number] as string);
  let price: number | null = null;
  if (priceText !== "") {
    price = parsePrice(priceText);
    if (Number.isNaN(price)) return new RowProblem("price", `price ${quote(priceText)} must be a finite number ≥ 0`);
  }

  return {
    event_time: eventTime,
    event_type: eventType,
    product_id: productId,
    category_id: optional(fields[p[3] as number] as string),
    category_code: optional(fields[p[4] as number] as string),
    brand: optional(fields[p[5] as number] as string),
    price,
    user_id: userId,
    user_session: optional(fields[p[8] as number] as string),
  };
}

/**
 * Validates a parsed batch: events in file order with their lines, plus every refused row —
 * parse errors included — so `events.length + rejections.length` equals the records read.
 */
export function validateRecords(records: CsvRecords, columns: ColumnIndex): ValidatedBatch {
  const { fields, lines, raws } = records;
  const events: EcomEvent[] = [];
  const eventLines: number[] = [];
  const rejections: Rejection[] = records.errors.map((e) => ({ line: e.line, field: null, reason: e.reason, raw: e.raw }));
  for (let i = 0; i < fields.length; i++) {
    const result = validateRow(fields[i] as string[], columns);
    if (result instanceof RowProblem) {
      const raw = raws[i] as string;
      rejections.push({
        line: lines[i] as number,
        field: result.field,
        reason: result.reason,
        raw: raw.length > RAW_LIMIT ? raw.slice(0, RAW_LIMIT) + "…" : raw,
      });
    } else {
      events.push(result);
      eventLines.push(lines[i] as number);
    }
  }
  if (records.errors.length > 0) rejections.sort((a, b) => a.line - b.line);
  return { events, lines: eventLines, rejections };
}

/** Trims only when needed: `trim()` on every field would cost a call per field for nothing. */
function clean(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(n - 1);
  return a <= 32 || b <= 32 || a === 0xa0 || b === 0xa0 ? s.trim() : s;
}

function optional(s: string): string | null {
  const v = clean(s);
  return v === "" ? null : v;
}

/** The canonical string for a known type (so a batch holds 4 strings, not one per row). */
function knownType(s: string): string | undefined {
  switch (s) {
    case "view":
      return "view";
    case "cart":
      return "cart";
    case "purchase":
      return "purchase";
    case "remove_from_cart":
      return "remove_from_cart";
    default:
      return undefined;
  }
}

const DECIMAL = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A price: plain decimal digits with an optional fraction and exponent (`31.90`, `0.5`, `1e3`);
 * no sign, no hex, no `Infinity`, which `Number()` would all accept. NaN when refused.
 */
function parsePrice(s: string): number {
  // Fast path: digits and at most one dot (what the datasets hold).
  let dots = 0;
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) dots++;
    else if (c < 48 || c > 57) {
      plain = false;
      break;
    }
  }
  if (!(plain ? dots <= 1 && s !== "." : DECIMAL.test(s))) return NaN;
  const v = Number(s);
  return Number.isFinite(v) ? v : NaN;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? s.slice(0, 60) + "…" : s);
}
