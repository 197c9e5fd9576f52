import { bigQueryConfigFromEnv } from "../bigquery/config.ts";
import { warehouseKindFromEnv, type WarehouseKind } from "./kind.ts";
import type { Warehouse } from "./warehouse.ts";

export { WarehouseConfigError, warehouseKindFromEnv, type WarehouseKind } from "./kind.ts";

/**
 * Opens the configured warehouse: the local DuckDB session (WAREHOUSE_DIR) or BigQuery
 * (GCP_PROJECT, BQ_DATASET, BQ_LOCATION, BIGQUERY_API_ENDPOINT, GOOGLE_APPLICATION_CREDENTIALS).
 * Configuration errors name the variable at fault. Each client library is loaded only when
 * chosen: importing both cost every script ~110–160 ms of start-up.
 */
export async function openWarehouse(
  kind: WarehouseKind = warehouseKindFromEnv(),
  env: Record<string, string | undefined> = process.env,
): Promise<Warehouse> {
  if (kind === "bigquery") {
    const config = bigQueryConfigFromEnv(env);
    const { openBigQueryWarehouse } = await import("./bigquery.ts");
    return openBigQueryWarehouse(config);
  }
  const { openDuckDbWarehouse } = await import("./duckdb.ts");
  return openDuckDbWarehouse({ warehouseDir: env.WAREHOUSE_DIR || undefined });
}
