import { describe, expect, it } from "bun:test";
import { backoffDelay, RetryBudget, type RetryPolicy } from "../../lib/bigquery/retry.ts";

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxElapsedMs: 60_000 };

describe("backoffDelay", () => {
  it("draws from 0 up to a ceiling that doubles per retry and stops at maxDelayMs", () => {
    expect([0, 1, 2, 3, 4, 10].map((retry) => backoffDelay(retry, policy, () => 0.999_999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});

describe("RetryBudget", () => {
  it("allows maxAttempts attempts in total", () => {
    const budget = new RetryBudget(policy, () => 0);
    expect([budget.next(), budget.next(), budget.next(), budget.next()]).toEqual([0, 0, 0, undefined]);
    expect(budget.attempts).toBe(4);
  });

  it("refuses a delay that would end past maxElapsedMs", () => {
    const budget = new RetryBudget({ ...policy, maxElapsedMs: 50 }, () => 0.9);
    expect(budget.next()).toBeUndefined();
  });
});
