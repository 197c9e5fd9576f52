/**
 * Field parsers over raw CSV bytes for the transcoder's fast path. Each either returns exactly
 * what the string-based validator would, or NaN / false to hand the row to it.
 */

/** `count` ASCII digits at `s` as a number, or NaN. */
export function digits(b: Uint8Array, s: number, count: number): number {
  let v = 0;
  for (let i = 0; i < count; i++) {
    const d = (b[s + i] as number) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/** Days since 1970-01-01 of a valid date, NaN otherwise (same rules as timestamp.ts). */
export function daysOf(y: number, m: number, d: number): number {
  const t = Date.UTC(y, m - 1, d);
  const check = new Date(t);
  if (Number.isNaN(t) || check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return NaN;
  return t / 86_400_000;
}

const VIEW = [118, 105, 101, 119];
const CART = [99, 97, 114, 116];
const PURCHASE = [112, 117, 114, 99, 104, 97, 115, 101];
const REMOVE = Array.from("remove_from_cart", (c) => c.charCodeAt(0));

/** Whether `b[s, s + len)` spells one of the four known event types, exactly. */
export function knownTypeBytes(b: Uint8Array, s: number, len: number): boolean {
  if (len === 4) return same(b, s, VIEW) || same(b, s, CART);
  if (len === 8) return same(b, s, PURCHASE);
  if (len === 16) return same(b, s, REMOVE);
  return false;
}

function same(b: Uint8Array, s: number, word: number[]): boolean {
  for (let i = 0; i < word.length; i++) if (b[s + i] !== word[i]) return false;
  return true;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Digits with at most one dot, at most 15 digits → the double, or NaN to defer. Exact: an
 * integer below 2^53 divided by an exact power of ten is correctly rounded (Clinger's fast
 * path), so this equals `Number(text)`.
 */
export function fastPrice(b: Uint8Array, s: number, e: number): number {
  let m = 0;
  let digitsSeen = 0;
  let frac = -1;
  for (let i = s; i < e; i++) {
    const c = b[i] as number;
    if (c === 46) {
      if (frac >= 0) return NaN;
      frac = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return NaN;
    m = m * 10 + d;
    digitsSeen++;
    if (frac >= 0) frac++;
  }
  if (digitsSeen === 0 || digitsSeen > 15) return NaN;
  return frac > 0 ? m / (POW10[frac] as number) : m;
}
