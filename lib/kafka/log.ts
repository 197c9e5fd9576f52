import { rd, pointerAt, readCString, type Pointer } from "./ffi.ts";

/** One librdkafka log line (syslog levels: 3 error, 4 warning, 6 info, 7 debug). */
export interface LogLine {
  level: number;
  facility: string;
  message: string;
}

const out = new Uint32Array(6);

/** Reads an RD_KAFKA_EVENT_LOG. */
export function logFromEvent(event: Pointer): LogLine {
  rd().rd_kafka_event_log(event, out.subarray(0, 2), out.subarray(2, 4), out.subarray(4, 5));
  return { facility: readCString(pointerAt(out, 0)) ?? "", message: readCString(pointerAt(out, 1)) ?? "", level: out[4]! | 0 };
}

/**
 * librdkafka logs through our event queue (`log.queue=true`) instead of printing from its own
 * threads. Unreachable brokers repeat the same line every few milliseconds, so by default only
 * errors are printed, each distinct line at most once per `quietMs`; with librdkafka's `debug`
 * property set, everything is printed.
 */
export function defaultLogHandler(config: Record<string, string>, quietMs = 30_000): (line: LogLine) => void {
  const verbose = Boolean(config.debug);
  const lastShown = new Map<string, number>();
  return ({ level, facility, message }) => {
    if (!verbose && level > 3) return;
    // Brokers' lines differ only in counters and timings; key on the text without digits.
    const key = `${facility}:${message.replace(/\d+/g, "#")}`;
    const now = performance.now();
    if (!verbose && now - (lastShown.get(key) ?? -Infinity) < quietMs) return;
    lastShown.set(key, now);
    console.error(`librdkafka ${facility}: ${message}`);
  };
}
