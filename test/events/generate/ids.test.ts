import { describe, expect, it } from "bun:test";
import { categoryId, productId, sessionId, userId, writeSessionId, writeUserId } from "../../../lib/events/generate/ids.ts";
import { Random } from "../../../lib/events/generate/random.ts";

describe("generated ids", () => {
  it("never collide and keep the reference shapes", () => {
    const n = 200_000;
    const users = new Set<string>();
    const products = new Set<string>();
    for (let i = 0; i < n; i++) {
      users.add(userId(i, 123_456));
      products.add(productId(i, 654_321));
    }
    expect(users.size).toBe(n);
    expect(products.size).toBe(n);
    for (const id of [...users].slice(0, 100)) expect(id).toMatch(/^151591562\d{10}$/);
    for (const id of [...products].slice(0, 100)) expect(id).toMatch(/^\d{7,8}$/);
    expect(categoryId(3, 99)).toMatch(/^2144415\d{12}$/);
    expect(userId(0, 0)).not.toBe(userId(1, 0));
  });

  it("writes the same bytes as the string forms", () => {
    const out = new Uint8Array(40);
    for (const i of [0, 1, 99_999, 100_000, 4_294_967_296, 9_999_999_999]) {
      const end = writeUserId(i, 777, out, 3);
      expect(new TextDecoder().decode(out.subarray(3, end))).toBe(userId(i, 777));
    }
    const end = writeSessionId(new Random(4), out, 0);
    expect(new TextDecoder().decode(out.subarray(0, end))).toBe(sessionId(new Random(4)));
    expect(sessionId(new Random(4))).toMatch(/^[A-Za-z0-9]{10}$/);
  });
});
