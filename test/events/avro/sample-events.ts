import { indexColumns } from "../../../lib/events/csv/header.ts";
import { CsvParser } from "../../../lib/events/csv/parser.ts";
import { CSV_COLUMNS, type EcomEvent } from "../../../lib/events/event.ts";
import { generateCsv } from "../../../lib/events/generate/csv-rows.ts";
import { validateRecords } from "../../../lib/events/validate.ts";

/** Events that stress the encoding: nulls, multi-byte text, long strings, odd numbers. */
export const EDGE_EVENTS: EcomEvent[] = [
  {
    event_time: 0,
    event_type: "remove_from_cart",
    product_id: "1",
    category_id: null,
    category_code: null,
    brand: null,
    price: null,
    user_id: "u",
    user_session: null,
  },
  {
    event_time: -1,
    event_type: "purchase",
    product_id: "é",
    category_id: "",
    category_code: "электроника.телефон",
    brand: "日本🎌",
    price: 0,
    user_id: "ユーザー",
    user_session: "s".repeat(63),
  },
  {
    event_time: 4_102_444_799_999_999,
    event_type: "cart",
    product_id: "x".repeat(64),
    category_id: "2".repeat(8191),
    category_code: "c".repeat(8192),
    brand: "ü".repeat(40),
    price: 1.7976931348623157e308,
    user_id: "9".repeat(19),
    user_session: "y".repeat(200),
  },
  {
    event_time: 1_600_948_626_123_456,
    event_type: "view",
    product_id: "1996170",
    category_id: "2144415922528452715",
    category_code: "electronics.telephone",
    brand: "a,b \"q\"",
    price: 5e-324,
    user_id: "1515915625519388267",
    user_session: "LJuJVLEjPT",
  },
];

/** `n` generated events (through the real validator) plus EDGE_EVENTS. */
export function sampleEvents(n: number, seed = 11): EcomEvent[] {
  const text = [...generateCsv({ rows: n, seed })].map((c) => new TextDecoder().decode(c)).join("");
  const parser = new CsvParser();
  const records = parser.push(text);
  const header = records.fields.shift()!;
  records.lines.shift();
  records.raws.shift();
  const columns = indexColumns("generated", header);
  if (columns.width !== CSV_COLUMNS.length) throw new Error("unexpected generated header");
  const { events, rejections } = validateRecords(records, columns);
  if (rejections.length > 0) throw new Error(`generated rows rejected: ${rejections[0]!.reason}`);
  return [...events, ...EDGE_EVENTS];
}
