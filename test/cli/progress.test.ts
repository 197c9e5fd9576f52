import { describe, expect, it } from "bun:test";
import { ProgressReporter, type ProgressStream } from "../../lib/cli/progress.ts";

function collector(isTTY: boolean): ProgressStream & { text: string } {
  return {
    text: "",
    isTTY,
    columns: 200,
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

describe("ProgressReporter", () => {
  it("redraws one line in place on a terminal, at most once per interval, and clears it", () => {
    let now = 0;
    const stream = collector(true);
    const p = new ProgressReporter({ label: "produce", totalBytes: 1000, stream, now: () => now, ttyIntervalMs: 250 });
    now = 100;
    p.update({ rows: 10, bytes: 100 });
    expect(stream.text).toBe("");
    now = 1000;
    p.update({ rows: 500_000, bytes: 250, rejects: 3 });
    expect(stream.text).toBe("\r\x1b[2Kproduce  500.0k rows  500.0k rows/s  250 B/s  3 rejected  25%  ETA 3.0 s  1.0 s elapsed");
    now = 1100;
    p.update({ rows: 600_000, bytes: 300 });
    expect(stream.text.split("\r").length).toBe(2);
    p.done();
    expect(stream.text.endsWith("\r\x1b[2K")).toBe(true);
  });

  it("prints plain lines every plainIntervalMs when not on a terminal", () => {
    let now = 0;
    const stream = collector(false);
    const p = new ProgressReporter({ label: "generate", unit: "rows", totalRows: 100, stream, now: () => now, plainIntervalMs: 10_000 });
    for (now = 0; now <= 30_000; now += 1000) p.update({ rows: now / 1000 });
    const lines = stream.text.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe("generate  10 rows  1 rows/s  10%  ETA 1 min 30 s  10.0 s elapsed");
    p.done();
    expect(stream.text.includes("\x1b")).toBe(false);
  });

  it("shows bytes read when the total is unknown", () => {
    let now = 2000;
    const p = new ProgressReporter({ label: "consume", unit: "messages", stream: collector(false), now: () => now });
    now = 4000;
    expect(p.line({ rows: 4000, bytes: 2_000_000 })).toBe("consume  4.0k messages  2.0k messages/s  1.0 MB/s  2.0 MB read  2.0 s elapsed");
  });
});
