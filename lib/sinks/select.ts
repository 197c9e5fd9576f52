import type { WarehouseKind } from "../warehouse/open.ts";
import { BigQuerySink } from "./bigquery.ts";
import { ParquetSink } from "./parquet.ts";
import type { Sink } from "./sink.ts";

/** The sink for a warehouse (see warehouseKindFromEnv); BigQuery settings come from GCP_PROJECT, BQ_DATASET, … */
export function createSink(kind: WarehouseKind, topic: string): Sink {
  return kind === "bigquery" ? new BigQuerySink({ topic }) : new ParquetSink();
}
