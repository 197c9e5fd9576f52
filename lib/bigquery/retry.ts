import { BigQueryUnreachableError, classifyError } from "./errors.ts";

/**
 * How hard to try before giving up. Bounded both by attempts and by time, so a consumer facing an
 * outage stops (without storing offsets) instead of hanging forever.
 */
export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  /** The backoff ceiling for the first retry; it doubles with every further retry. */
  baseDelayMs: number;
  /** The backoff ceiling never exceeds this. */
  maxDelayMs: number;
  /** No retry starts once this much time has passed since the first attempt. */
  maxElapsedMs: number;
}

/**
 * 8 attempts over at most ~1 minute: enough to ride out a rolling restart or a 429 burst, short
 * enough that a real outage surfaces while someone is still watching.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
  maxElapsedMs: 60_000,
};

/**
 * "Full jitter" backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"): a uniformly random
 * delay between 0 and min(maxDelay, base · 2^retry). Spreading retries out matters here because
 * several insert requests in flight tend to fail together and would otherwise retry in lockstep.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * The attempts left for one operation. `next()` returns the delay to wait before the next attempt,
 * or `undefined` when the attempts or the time are used up (a delay that would end past the
 * deadline counts as used up: better to fail now than to sleep and then fail).
 */
export class RetryBudget {
  attempts = 1;
  private readonly startedAt = performance.now();

  constructor(
    private readonly policy: RetryPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number | undefined {
    if (this.attempts >= this.policy.maxAttempts) return undefined;
    const delay = backoffDelay(this.attempts - 1, this.policy, this.random);
    if (performance.now() - this.startedAt + delay > this.policy.maxElapsedMs) return undefined;
    this.attempts += 1;
    return delay;
  }
}

/**
 * Runs a metadata request (dataset/table get or create) under our retry policy: the client is
 * built with the library's own retries off (see client.ts), so this is the only retry layer.
 * Transient errors are retried; an unreachable endpoint fails at once with a BigQueryUnreachableError.
 */
export async function withRetry<T>(
  what: string,
  endpoint: string,
  policy: RetryPolicy,
  operation: () => Promise<T>,
): Promise<T> {
  const budget = new RetryBudget(policy);
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      const kind = classifyError(error);
      if (kind === "unreachable") throw new BigQueryUnreachableError(endpoint, what, { cause: error });
      const delay = kind === "transient" ? budget.next() : undefined;
      if (delay === undefined) throw error;
      await Bun.sleep(delay);
    }
  }
}
