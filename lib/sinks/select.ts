import type { WarehouseKind } from "../warehouse/kind.ts";
import type { Sink } from "./sink.ts";

/**
 * The sink for a warehouse (see warehouseKindFromEnv); BigQuery settings come from GCP_PROJECT,
 * BQ_DATASET, … Imported lazily: loading the BigQuery client costs ~55 ms of consumer start-up.
 */
export async function createSink(kind: WarehouseKind, topic: string): Promise<Sink> {
  if (kind === "bigquery") return new (await import("./bigquery.ts")).BigQuerySink({ topic });
  return new (await import("./parquet.ts")).ParquetSink();
}
