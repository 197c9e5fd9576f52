import { describe, expect, it } from "bun:test";
import { shareFiles } from "../../lib/sinks/parquet-plan.ts";

describe("shareFiles", () => {
  it("gives every file to exactly one worker and balances rows plus per-file cost", () => {
    const files = [9_000, 1_000, 500, 8_000, 200, 7_000, 3_000, 100].map((rows, id) => ({ id, rows }));
    const shares = shareFiles(files, 2);
    expect(shares.flat().map((f) => f.id).sort()).toEqual(files.map((f) => f.id).sort());
    const loads = shares.map((share) => share.reduce((sum, f) => sum + f.rows + 1_000, 0));
    expect(Math.abs(loads[0]! - loads[1]!)).toBeLessThanOrEqual(1_000 + 100);
  });

  it("leaves workers empty when there are fewer files", () => {
    expect(shareFiles([{ rows: 5 }], 3)).toEqual([[{ rows: 5 }], [], []]);
    expect(shareFiles([], 2)).toEqual([[], []]);
  });
});
