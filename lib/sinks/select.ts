import { BigQuerySink } from "./bigquery.ts";
import { ParquetSink } from "./parquet.ts";
import type { Sink } from "./sink.ts";

export type WarehouseKind = "local" | "bigquery";

/** WAREHOUSE from the environment: `local` (DuckDB/Parquet, the default) or `bigquery`. */
export function warehouseKind(value = process.env.WAREHOUSE): WarehouseKind {
  const kind = (value || "local").toLowerCase();
  if (kind === "local" || kind === "duckdb") return "local";
  if (kind === "bigquery") return "bigquery";
  throw new Error(`WAREHOUSE=${value}: expected local or bigquery`);
}

/** The sink for a warehouse; BigQuery settings come from GCP_PROJECT, BQ_DATASET, … */
export function createSink(kind: WarehouseKind, topic: string): Sink {
  return kind === "bigquery" ? new BigQuerySink({ topic }) : new ParquetSink();
}
