import { describe, expect, it } from "bun:test";
import { parseConsumeLine, parseDbtLine, parseProduceLine, SummaryLineError } from "../../lib/bench/pipeline/summary-lines.ts";

describe("parseProduceLine", () => {
  it("reads counts and the producer's own rate with its k/M suffix", () => {
    const stderr =
      "note: something\nproduce: 885,129 read, 885,128 delivered, 1 rejected, 0 failed → t in 2.2 s (402.0k events/s, 46 MB/s Avro, schema id 1)\n";
    expect(parseProduceLine(stderr)).toEqual({ read: 885_129, delivered: 885_128, rejected: 1, failed: 0, eventsPerSec: 402_000 });
    expect(parseProduceLine("produce: 10,000,000 read, 10,000,000 delivered, 0 rejected, 0 failed → t in 14.8 s (1.2M events/s, 77 MB/s Avro, schema id 3)").eventsPerSec).toBe(1_200_000);
  });

  it("fails with the output's tail when the summary is missing", () => {
    expect(() => parseProduceLine("produce failed: broker down")).toThrow(SummaryLineError);
    expect(() => parseProduceLine("produce failed: broker down")).toThrow(/broker down/);
  });
});

describe("parseConsumeLine", () => {
  it("reads counts, seconds, rate and why it stopped", () => {
    const line = "consume: 885,129 read, 885,129 landed in local, 0 dead letters → dlq, 6.1 s (145,705 events/s), stopped: caught-up";
    expect(parseConsumeLine(line)).toEqual({ read: 885_129, landed: 885_129, deadLetters: 0, seconds: 6.1, eventsPerSec: 145_705, stoppedBy: "caught-up" });
  });

  it("reads lines listing dead-letter kinds", () => {
    const line = "consume: 10 read, 8 landed in local, 2 dead letters (decode 1, invalid 1) → dlq, 0.5 s (20 events/s), stopped: signal";
    expect(parseConsumeLine(line)).toMatchObject({ landed: 8, deadLetters: 2, stoppedBy: "signal" });
  });
});

describe("parseDbtLine", () => {
  it("reads dbt's own time and result counts through its colour codes", () => {
    const out =
      "\x1b[0m06:26:41  Finished running 6 incremental models, 2 project hooks in 0 hours 0 minutes and 19.75 seconds (19.75s).\n" +
      "\x1b[0m06:26:41  Done. PASS=44 WARN=1 ERROR=0 SKIP=2 NO-OP=0 TOTAL=47\n";
    expect(parseDbtLine(out)).toEqual({ seconds: 19.75, pass: 44, warn: 1, error: 0, skip: 2 });
  });

  it("fails when dbt did not finish", () => {
    expect(() => parseDbtLine("Encountered an error:\nRuntime Error")).toThrow(/dbt: no `Finished running/);
  });
});
