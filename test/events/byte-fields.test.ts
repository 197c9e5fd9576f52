import { describe, expect, it } from "bun:test";
import { daysOf, digits, fastPrice, knownTypeBytes } from "../../lib/events/byte-fields.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("byte field parsers", () => {
  it("parse prices exactly as Number() does, or defer", () => {
    for (const text of ["0", "31.90", "5.", ".5", "0.1", "0.3", "123456789.123456", "999999999999999", "007.50", "2.675"]) {
      const b = bytes(text);
      expect(fastPrice(b, 0, b.length)).toBe(Number(text));
    }
    for (const text of [".", "1.2.3", "-3", "1e3", "1234567890123456", "abc", " 1"]) {
      const b = bytes(text);
      expect(fastPrice(b, 0, b.length)).toBeNaN();
    }
  });

  it("agree with Number() on many random decimals", () => {
    let seed = 1;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 20_000; i++) {
      const text = (next() * 10 ** Math.floor(next() * 9)).toFixed(Math.floor(next() * 6));
      const b = bytes(text);
      expect(fastPrice(b, 0, b.length)).toBe(Number(text));
    }
  });

  it("read digits, days and event types", () => {
    expect(digits(bytes("x2020"), 1, 4)).toBe(2020);
    expect(digits(bytes("20a0"), 0, 4)).toBeNaN();
    expect(daysOf(1970, 1, 2)).toBe(1);
    expect(daysOf(2021, 2, 29)).toBeNaN();
    expect(daysOf(50, 1, 1)).toBeNaN();
    for (const t of ["view", "cart", "purchase", "remove_from_cart"]) expect(knownTypeBytes(bytes(t), 0, t.length)).toBe(true);
    for (const t of ["View", "carts", "purchase ", "click"]) expect(knownTypeBytes(bytes(t), 0, t.length)).toBe(false);
  });
});
