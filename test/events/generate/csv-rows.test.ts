import { describe, expect, it } from "bun:test";
import { createHash } from "node:crypto";
import { generateCsv } from "../../../lib/events/generate/csv-rows.ts";
import { REFERENCE } from "../../../lib/events/generate/shape.ts";
import { CSV_COLUMNS } from "../../../lib/events/event.ts";

const ROWS = 50_000;

function text(rows: number, seed: number, chunkBytes?: number): string {
  const decoder = new TextDecoder();
  return [...generateCsv({ rows, seed, chunkBytes })].map((c) => decoder.decode(c)).join("");
}

const sample = text(ROWS, 2020);
const lines = sample.split("\n");
const rows = lines.slice(1, -1).map((l) => l.split(","));
const col = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, i])) as Record<(typeof CSV_COLUMNS)[number], number>;
const share = (pred: (r: string[]) => boolean) => rows.filter(pred).length / rows.length;

describe("generateCsv", () => {
  it("writes the header and exactly the requested rows, ending with a line break", () => {
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(rows).toHaveLength(ROWS);
    expect(lines.at(-1)).toBe("");
    expect(text(0, 1)).toBe(CSV_COLUMNS.join(",") + "\n");
  });

  it("is deterministic for a seed, whatever the chunk size, and differs across seeds", () => {
    const hash = (s: string) => createHash("sha256").update(s).digest("hex");
    expect(hash(text(5_000, 9))).toBe(hash(text(5_000, 9, 4096)));
    expect(hash(text(5_000, 9))).not.toBe(hash(text(5_000, 10)));
  });

  it("keeps the reference format and is sorted by event_time within the reference range", () => {
    for (const r of rows.slice(0, 2000)) {
      expect(r).toHaveLength(9);
      expect(r[col.event_time]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      expect(r[col.product_id]).toMatch(/^\d{7,8}$/);
      expect(r[col.category_id]).toMatch(/^\d{19}$/);
      expect(r[col.user_id]).toMatch(/^\d{19}$/);
      expect(r[col.price]).toMatch(/^\d+\.\d\d$/);
    }
    const times = rows.map((r) => r[col.event_time]!);
    expect(times.every((t, i) => i === 0 || times[i - 1]! <= t)).toBe(true);
    expect(times[0]! >= "2020-09-24 11:57:06 UTC").toBe(true);
    expect(times.at(-1)! <= "2021-02-28 23:59:59 UTC").toBe(true);
    // Spread over the months, not bunched at the start.
    for (const month of ["2020-10", "2020-11", "2020-12", "2021-01", "2021-02"]) {
      expect(share((r) => r[col.event_time]!.startsWith(month))).toBeGreaterThan(0.15);
    }
  });

  it("has the reference's event mix, users, products and attribute coverage (scaled)", () => {
    const type = (t: string) => share((r) => r[col.event_type] === t);
    expect(type("view")).toBeCloseTo(REFERENCE.views / REFERENCE.rows, 1.7); // ±1 point
    expect(Math.abs(type("cart") - REFERENCE.carts / REFERENCE.rows)).toBeLessThan(0.006);
    expect(Math.abs(type("purchase") - REFERENCE.purchases / REFERENCE.rows)).toBeLessThan(0.005);
    expect(type("remove_from_cart")).toBeLessThan(0.005);
    const scale = ROWS / REFERENCE.rows;
    const users = new Set(rows.map((r) => r[col.user_id])).size;
    const products = new Set(rows.map((r) => r[col.product_id])).size;
    expect(Math.abs(users / (REFERENCE.users * scale) - 1)).toBeLessThan(0.05);
    expect(Math.abs(products / (REFERENCE.products * scale) - 1)).toBeLessThan(0.1);
    expect(Math.abs(share((r) => r[col.category_code] !== "") - REFERENCE.categoryCodeShare)).toBeLessThan(0.03);
    expect(Math.abs(share((r) => r[col.brand] !== "") - REFERENCE.brandShare)).toBeLessThan(0.03);
    expect(share((r) => r[col.user_session] !== "")).toBeGreaterThan(0.999);
  });

  it("makes coherent sessions: carts follow a view of the product, purchases and removals follow a cart", () => {
    const seen = new Map<string, Set<string>>(); // session → "type:product" seen so far
    let carts = 0;
    for (const r of rows) {
      const session = r[col.user_session]!;
      if (session === "") continue;
      const product = r[col.product_id]!;
      const type = r[col.event_type]!;
      const past = seen.get(session) ?? new Set<string>();
      if (type === "cart") {
        carts++;
        expect(past.has(`view:${product}`)).toBe(true);
      }
      if (type === "purchase" || type === "remove_from_cart") expect(past.has(`cart:${product}`)).toBe(true);
      past.add(`${type}:${product}`);
      seen.set(session, past);
    }
    expect(carts).toBeGreaterThan(1000);
    // A session belongs to one user.
    const owner = new Map<string, string>();
    for (const r of rows) {
      const s = r[col.user_session]!;
      if (s === "") continue;
      expect(owner.get(s) ?? r[col.user_id]).toBe(r[col.user_id]!);
      owner.set(s, r[col.user_id]!);
    }
  });

  it("keeps one price, category and brand per product, with a skewed price distribution", () => {
    const product = new Map<string, string>();
    for (const r of rows) {
      const attrs = [r[col.category_id], r[col.category_code], r[col.brand], r[col.price]].join("|");
      expect(product.get(r[col.product_id]!) ?? attrs).toBe(attrs);
      product.set(r[col.product_id]!, attrs);
    }
    const prices = [...product.values()].map((a) => Number(a.split("|")[3])).sort((a, b) => a - b);
    const q = (p: number) => prices[Math.floor(p * (prices.length - 1))]!;
    expect(q(0)).toBeGreaterThanOrEqual(0.22);
    expect(q(0.5)).toBeGreaterThan(10);
    expect(q(0.5)).toBeLessThan(150);
    expect(q(0.99) / q(0.5)).toBeGreaterThan(8); // a long right tail
  });
});
