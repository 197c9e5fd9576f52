import { describe, expect, it } from "bun:test";
import { EcomEventEncoder, EncodeError } from "../../../lib/events/avro/encoder.ts";
import { ecomEventType } from "../../../lib/events/avro/schema.ts";
import type { EcomEvent } from "../../../lib/events/event.ts";
import { EDGE_EVENTS, sampleEvents } from "./sample-events.ts";

const type = ecomEventType();
/** The reference: avsc's own encoder behind the 5-byte header. */
const reference = (e: EcomEvent, id: number) => Buffer.concat([Buffer.from([0, id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255]), type.toBuffer(e)]);

describe("EcomEventEncoder", () => {
  it("writes the same bytes as avsc for generated and edge-case events", () => {
    const events = sampleEvents(2_000);
    const encoder = new EcomEventEncoder(123_456_789, 256); // tiny start: exercises growth
    const batch = encoder.encodeBatch(events);
    expect(batch.count).toBe(events.length);
    for (let i = 0; i < events.length; i++) {
      const mine = Buffer.from(batch.values.subarray(batch.valueOffsets[i], batch.valueOffsets[i + 1]));
      expect(mine.toString("hex")).toBe(reference(events[i]!, 123_456_789).toString("hex"));
      const key = Buffer.from(batch.keys.subarray(batch.keyOffsets[i], batch.keyOffsets[i + 1])).toString("utf8");
      expect(key).toBe(events[i]!.user_id);
    }
  });

  it("reuses its buffers: a second batch overwrites the first", () => {
    const encoder = new EcomEventEncoder(1);
    const first = encoder.encodeBatch([EDGE_EVENTS[0]!]);
    const copy = first.values.slice();
    encoder.encodeBatch([EDGE_EVENTS[3]!]);
    expect(Buffer.from(first.values).equals(Buffer.from(copy))).toBe(false);
    expect(Buffer.from(encoder.encode(EDGE_EVENTS[0]!)).equals(Buffer.from(copy))).toBe(true);
  });

  it("encodes an empty batch", () => {
    const b = new EcomEventEncoder(1).encodeBatch([]);
    expect(b.count).toBe(0);
    expect([...b.valueOffsets]).toEqual([0]);
  });

  it("refuses values the schema cannot hold, naming the field, and keeps the batch clean", () => {
    const good = EDGE_EVENTS[3]!;
    const encoder = new EcomEventEncoder(1);
    const cases: [Partial<Record<keyof EcomEvent, unknown>>, string][] = [
      [{ event_time: 1.5 }, "event_time"],
      [{ event_time: 2 ** 53 }, "event_time"],
      [{ event_type: null }, "event_type"],
      [{ price: "3" }, "price"],
      [{ brand: 7 }, "brand"],
      [{ user_id: undefined }, "user_id"],
    ];
    for (const [patch, field] of cases) {
      let err: unknown;
      try {
        encoder.encodeBatch([{ ...good, ...patch } as EcomEvent]);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(EncodeError);
      expect((err as EncodeError).field).toBe(field);
    }
    expect(() => new EcomEventEncoder(-1)).toThrow("schema id -1");
  });
});
