/**
 * Deterministic, collision-free ids shaped like the reference data's: an index goes through an
 * affine bijection modulo the id space (the multiplier shares no prime factor with the modulus),
 * so distinct indexes always give distinct ids, neighbours look unrelated, and no table of
 * issued ids has to be kept. BigInt keeps the products exact (they exceed 2^53); it costs
 * ≈0.1 µs per id, paid once per product or category.
 */

/** Shares no factor with 10^k (odd, not a multiple of 5) nor with 89,000,000 = 2^6·5^6·89. */
const MULTIPLIER = 7_295_329_871n;

function scramble(index: number, modulus: bigint, offset: number): bigint {
  return (BigInt(index) * MULTIPLIER + BigInt(offset)) % modulus;
}

/**
 * The 10 varying digits of a user id, in plain doubles: users are made once per session, and
 * this path (base-1e5 long multiplication, exact below 2^53) is ~3× faster than BigInt.
 */
const USER_MULTIPLIER = Number(MULTIPLIER % 10_000_000_000n);
function userSuffix(index: number, offset: number): number {
  const a = USER_MULTIPLIER;
  const hi = Math.floor(index / 1e5);
  const lo = index % 1e5;
  return ((((hi * a) % 1e5) * 1e5 + lo * a) % 1e10 + offset) % 1e10;
}

const USER_PREFIX = "151591562";

/** 19-digit user id like `1515915625519388267` (the reference's users share this prefix). */
export function userId(index: number, offset: number): string {
  return USER_PREFIX + String(userSuffix(index, offset)).padStart(10, "0");
}

const USER_PREFIX_BYTES = Array.from(USER_PREFIX, (c) => c.charCodeAt(0));

/** Writes `userId(index, offset)` as 19 ASCII digits into `out` at `pos`; returns the new position. */
export function writeUserId(index: number, offset: number, out: Uint8Array, pos: number): number {
  for (let i = 0; i < USER_PREFIX_BYTES.length; i++) out[pos++] = USER_PREFIX_BYTES[i] as number;
  // Digits from two 5-digit halves: int32 arithmetic, where % and / on a 10-digit double
  // cost a slow fmod per digit (180 ns per id measured, 60 ns this way).
  const n = userSuffix(index, offset);
  let hi = Math.floor(n / 1e5);
  let lo = n - hi * 1e5;
  for (let i = 9; i >= 5; i--) {
    const q = (lo / 10) | 0;
    out[pos + i] = 48 + lo - q * 10;
    lo = q;
  }
  for (let i = 4; i >= 0; i--) {
    const q = (hi / 10) | 0;
    out[pos + i] = 48 + hi - q * 10;
    hi = q;
  }
  return pos + 10;
}

/** 7–8 digit product id like `1996170` or `44600062`. */
export function productId(index: number, offset: number): string {
  return String(1_000_000n + scramble(index, 89_000_000n, offset));
}

/** 19-digit category id like `2144415922528452715`. */
export function categoryId(index: number, offset: number): string {
  return "2144415" + String(scramble(index, 1_000_000_000_000n, offset)).padStart(12, "0");
}

const SESSION_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** 10-character session id like `LJuJVLEjPT`, from ten draws of `rng`. */
export function sessionId(rng: { float(): number }): string {
  let id = "";
  for (let i = 0; i < 10; i++) id += SESSION_ALPHABET[Math.floor(rng.float() * 62)];
  return id;
}

const SESSION_ALPHABET_BYTES = Array.from(SESSION_ALPHABET, (c) => c.charCodeAt(0));

/** Writes a session id (as `sessionId` would make it) into `out` at `pos`; returns the new position. */
export function writeSessionId(rng: { float(): number }, out: Uint8Array, pos: number): number {
  for (let i = 0; i < 10; i++) out[pos++] = SESSION_ALPHABET_BYTES[Math.floor(rng.float() * 62)] as number;
  return pos;
}

/** The bytes of an ASCII string (ids, codes, digits) — a plain loop beats TextEncoder for ~30 bytes. */
export function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
