import { describe, expect, it } from "bun:test";
import { rawTableDifferences, rawTableMetadata } from "../../lib/bigquery/schema.ts";

describe("rawTableDifferences", () => {
  it("finds none for the table as created, also under the legacy type names tables.get returns", () => {
    const created = rawTableMetadata();
    expect(rawTableDifferences(created)).toEqual([]);
    const legacy = structuredClone(created);
    for (const field of legacy.schema!.fields!) {
      field.type = field.type === "FLOAT64" ? "FLOAT" : field.type === "INT64" ? "INTEGER" : field.type;
      delete field.mode;
    }
    expect(rawTableDifferences(legacy)).toEqual([]);
  });

  it("reports partitioning, clustering and an expiration", () => {
    const table = { ...rawTableMetadata(), timePartitioning: { type: "DAY" }, clustering: { fields: ["event_type"] } };
    expect(rawTableDifferences({ ...table, expirationTime: "1600000000000" })).toEqual([
      "time partitioning is DAY on _PARTITIONTIME, expected DAY on event_time",
      "clustering is event_type, expected event_type, product_id, category_code",
      "the table expires at 2020-09-13T12:26:40.000Z (its rows would be deleted), expected no expiration",
    ]);
  });
});
