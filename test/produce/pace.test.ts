import { describe, expect, it } from "bun:test";
import { eventTimeOf, Pacer } from "../../lib/produce/pace.ts";
import { ecomEventType } from "../../lib/events/avro/schema.ts";

const framed = (eventTime: number) =>
  Buffer.concat([
    Buffer.from([0, 0, 0, 0, 1]),
    ecomEventType().toBuffer({ event_time: eventTime, event_type: "view", product_id: "1", category_id: null, category_code: null, brand: null, price: null, user_id: "u", user_session: null }),
  ]);

describe("eventTimeOf", () => {
  it("reads event_time straight from the Avro bytes", () => {
    for (const t of [0, 1, 1_600_948_626_000_000, 4_102_444_799_999_999]) expect(eventTimeOf(framed(t), 0)).toBe(t);
    const two = Buffer.concat([framed(5), framed(1_600_948_626_123_456)]);
    expect(eventTimeOf(two, framed(5).length)).toBe(1_600_948_626_123_456);
  });
});

describe("Pacer", () => {
  it("never waits without --rate or --replay", () => {
    expect(new Pacer({}).active).toBe(false);
    expect(new Pacer({}).delayMs(1_000_000, 0)).toBeLessThanOrEqual(0);
  });

  it("spaces messages 1/rate seconds apart", () => {
    const pacer = new Pacer({ rate: 1000 });
    expect(pacer.delayMs(0, 0)).toBeLessThanOrEqual(0);
    expect(pacer.delayMs(500, 0)).toBeGreaterThan(490);
    expect(pacer.delayMs(500, 0)).toBeLessThanOrEqual(500);
  });

  it("keeps the gaps between event times, X times faster", () => {
    const pacer = new Pacer({ replay: 3600 });
    const start = 1_600_000_000_000_000;
    expect(pacer.delayMs(0, start)).toBeLessThanOrEqual(0);
    // One hour of event time later, at 3600×: one second later.
    expect(pacer.delayMs(1, start + 3_600_000_000)).toBeGreaterThan(990);
    expect(pacer.delayMs(1, start + 3_600_000_000)).toBeLessThanOrEqual(1000);
  });
});
