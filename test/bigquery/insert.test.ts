import { describe, expect, it } from "bun:test";
import { encodeRows } from "../../lib/bigquery/encode.ts";
import { chunkRows, insertAllBody } from "../../lib/bigquery/insert.ts";
import { sampleRows } from "../support/bigquery-emulator.ts";

describe("chunkRows", () => {
  const { encoded } = encodeRows(sampleRows(1_000), "t");

  it("cuts at maxRows", () => {
    expect(chunkRows(encoded, 300, 10_000_000).map((chunk) => chunk.length)).toEqual([300, 300, 300, 100]);
  });

  it("keeps every request body within maxBytes, rows in order", () => {
    const chunks = chunkRows(encoded, 500, 20_000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(Buffer.byteLength(insertAllBody(chunk))).toBeLessThanOrEqual(20_000);
    expect(chunks.flat()).toEqual(encoded);
  });

  it("sends a row larger than maxBytes alone rather than never", () => {
    expect(chunkRows(encoded.slice(0, 3), 500, 10).map((chunk) => chunk.length)).toEqual([1, 1, 1]);
  });
});
