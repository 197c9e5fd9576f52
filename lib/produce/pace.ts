import { HEADER_BYTES } from "../events/avro/wire.ts";

/**
 * The `event_time` of a framed Avro message, read straight from its bytes: it is the record's
 * first field, a zigzag varint long right after the 5-byte header — no decode needed to pace
 * a replay.
 */
export function eventTimeOf(values: Uint8Array, offset: number): number {
  let pos = offset + HEADER_BYTES;
  let result = 0;
  let scale = 1;
  for (;;) {
    const byte = values[pos++]!;
    result += (byte & 0x7f) * scale;
    if (byte < 0x80) break;
    scale *= 128;
  }
  // zigzag: even → n/2, odd → -(n+1)/2 (exact for |n| < 2^53)
  return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
}

/**
 * Decides how long to wait before sending message number `sent` (0-based): `--rate N` spaces
 * messages 1/N s apart; `--replay X` keeps the gaps between event times, X times faster. With
 * neither, never waits.
 */
export class Pacer {
  private readonly start = performance.now();
  private firstEventTime: number | null = null;

  constructor(private readonly options: { rate?: number; replay?: number }) {}

  get active(): boolean {
    return Boolean(this.options.rate || this.options.replay);
  }

  /** Milliseconds to wait before sending a message with this event time (micros). */
  delayMs(sent: number, eventTime: number): number {
    const elapsed = performance.now() - this.start;
    let due = 0;
    if (this.options.rate) due = (sent / this.options.rate) * 1000;
    if (this.options.replay) {
      this.firstEventTime ??= eventTime;
      due = Math.max(due, (eventTime - this.firstEventTime) / 1000 / this.options.replay);
    }
    return due - elapsed;
  }
}
