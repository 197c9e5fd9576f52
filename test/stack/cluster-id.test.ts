import { describe, expect, it } from "bun:test";
import { clusterId } from "../../lib/stack/kafka.ts";

describe("clusterId", () => {
  it("makes 22-character base64url ids that never start with '-' (the storage tool would read an option)", () => {
    // 1 random id in 64 starts with '-': 5,000 draws would all but surely hit one.
    for (let i = 0; i < 5_000; i++) {
      const id = clusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});
