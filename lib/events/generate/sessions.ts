import type { Catalog } from "./catalog.ts";
import { TimeHeap, type Timed } from "./heap.ts";
import { writeSessionId, writeUserId } from "./ids.ts";
import type { Random } from "./random.ts";
import { MODEL, REFERENCE } from "./shape.ts";

/** Event types as small integers while generating; index into EVENT_TYPE_NAMES. */
export const VIEW = 0;
export const CART = 1;
export const PURCHASE = 2;
export const REMOVE = 3;
export const EVENT_TYPE_NAMES = ["view", "cart", "purchase", "remove_from_cart"] as const;

/** One generated event: `time` in whole seconds since the epoch (the CSV has second precision). */
export interface SimEvent extends Timed {
  type: number;
  product: number;
  /** `user_id,user_session\n` as bytes — the session's constant tail of a CSV row. */
  tail: Uint8Array;
}

/**
 * Expected events per session under MODEL (views × (1 + carts per view × (1 + purchase +
 * remove))); sizes the number of sessions and users for a requested row count.
 */
export function meanEventsPerSession(): number {
  const views = 1 + MODEL.browsingShare * MODEL.browsingExtraViews + (1 - MODEL.browsingShare) * MODEL.casualExtraViews;
  const afterCart = 1 + MODEL.purchaseAfterCart + (1 - MODEL.purchaseAfterCart) * MODEL.removeAfterCart;
  return views * (1 + MODEL.cartAfterView * afterCart);
}

/** Relative traffic by UTC hour (the store's customers sleep too); mean 1. */
const HOURLY = (() => {
  const raw = [3, 2, 1.5, 1.5, 2, 3.5, 5.5, 7, 8, 8.5, 8.5, 8.5, 8.5, 8.5, 8, 8, 8, 8.5, 9, 9, 8.5, 7.5, 6, 4.5];
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  return raw.map((r) => r / mean);
})();

/**
 * Simulates shoppers' sessions in start-time order and releases their events sorted by time.
 * A session views products (popular ones more often), some views lead to a cart, most carts to a
 * purchase (a few to remove_from_cart) — so carts always follow a view of the same product in
 * the same session and purchases follow carts. Session starts spread over the reference's date
 * range, with a daily rhythm, and the gap between starts adapts so the last one lands near the
 * end whatever `rows` is.
 */
export class SessionSimulator {
  private readonly heap = new TimeHeap<SimEvent>();
  private readonly perSession = meanEventsPerSession();
  private readonly newUserChance: number;
  private readonly userOffset: number;
  private clock = REFERENCE.start / 1000;
  private readonly end = REFERENCE.end / 1000;
  private users = 0;
  private seq = 0;
  /** Events put in the heap so far (released or not), and events released. */
  private made = 0;
  private released = 0;

  constructor(
    private readonly rows: number,
    private readonly catalog: Catalog,
    private readonly rng: Random,
  ) {
    // Users per session so that users ≈ rows × 407,283 / 885,129, as in the reference.
    this.newUserChance = Math.min(1, (REFERENCE.users / REFERENCE.rows) * this.perSession);
    this.userOffset = rng.int(1e10);
  }

  /** The next event in time order, or undefined once `rows` events were made and released. */
  next(): SimEvent | undefined {
    if (this.released >= this.rows) return undefined;
    while (this.made < this.rows) {
      // No later session can start before the clock, so anything at or before it is final.
      const head = this.heap.peek();
      if (head !== undefined && head.time <= this.clock) break;
      this.startSession();
      this.advanceClock();
    }
    const event = this.heap.pop();
    if (event !== undefined) this.released++;
    return event;
  }

  private advanceClock(): void {
    const remaining = Math.max(1, (this.rows - this.made) / this.perSession);
    const meanGap = Math.max(0, this.end - 3600 - this.clock) / remaining;
    const hour = Math.floor((this.clock % 86400) / 3600);
    // Sessions last minutes; stopping starts an hour early keeps every event inside the range.
    this.clock = Math.min(this.end - 3600, this.clock + (this.rng.exp(1) * meanGap) / (HOURLY[hour] as number));
  }

  private startSession(): void {
    const rng = this.rng;
    let user: number;
    if (this.users === 0 || rng.chance(this.newUserChance)) user = this.users++;
    else user = rng.int(this.users);
    // Written as bytes straight away: building the tail as a string and encoding it cost more
    // than the rest of the session (JSC resolves the concatenation rope first).
    const hasSession = rng.chance(REFERENCE.sessionShare);
    const tail = new Uint8Array(hasSession ? 31 : 21);
    let pos = writeUserId(user, this.userOffset, tail, 0);
    tail[pos++] = 44; // ','
    if (hasSession) pos = writeSessionId(rng, tail, pos);
    tail[pos] = 10; // '\n'

    const extra = rng.chance(MODEL.browsingShare) ? rng.geometric(MODEL.browsingExtraViews) : rng.geometric(MODEL.casualExtraViews);
    const events: SimEvent[] = [];
    const seen: number[] = [];
    const carted: number[] = [];
    let t = Math.floor(this.clock);
    for (let v = 0; v <= extra; v++) {
      if (v > 0) t += 1 + Math.round(rng.exp(MODEL.viewGapSeconds));
      const product = seen.length > 0 && rng.chance(MODEL.revisit) ? rng.pick(seen) : this.catalog.popularity.sample(rng);
      if (!contains(seen, product)) seen.push(product);
      events.push({ time: t, seq: 0, type: VIEW, product, tail });
      if (contains(carted, product) || !rng.chance(MODEL.cartAfterView)) continue;
      carted.push(product);
      const tc = t + 1 + Math.round(rng.exp(MODEL.cartGapSeconds));
      events.push({ time: tc, seq: 0, type: CART, product, tail });
      if (rng.chance(MODEL.purchaseAfterCart)) {
        events.push({ time: tc + 1 + Math.round(rng.exp(MODEL.purchaseGapSeconds)), seq: 0, type: PURCHASE, product, tail });
      } else if (rng.chance(MODEL.removeAfterCart)) {
        events.push({ time: tc + 1 + Math.round(rng.exp(MODEL.purchaseGapSeconds)), seq: 0, type: REMOVE, product, tail });
      }
    }
    // Stable sort keeps causal order on equal seconds; then seq makes it stable in the heap too.
    if (events.length > 1) events.sort((a, b) => a.time - b.time);
    for (const e of events) {
      e.seq = this.seq++;
      this.heap.push(e);
    }
    this.made += events.length;
  }
}

/** Array#includes is a native call in JSC (~100 ns each); these arrays hold a handful of ints. */
function contains(items: number[], x: number): boolean {
  for (let i = 0; i < items.length; i++) if (items[i] === x) return true;
  return false;
}
