/** Which warehouse a setting names: `local` (DuckDB over the landing files) or `bigquery`. */
export type WarehouseKind = "local" | "bigquery";

/** WAREHOUSE is not one of the known values. */
export class WarehouseConfigError extends Error {
  constructor(readonly value: string) {
    super(`WAREHOUSE="${value}" is not a warehouse: use local (the default) or bigquery`);
    this.name = "WarehouseConfigError";
  }
}

/** Reads WAREHOUSE (`local`, `duckdb` or unset → local; `bigquery`). */
export function warehouseKindFromEnv(env: Record<string, string | undefined> = process.env): WarehouseKind {
  const value = (env.WAREHOUSE ?? "").trim().toLowerCase();
  if (value === "" || value === "local" || value === "duckdb") return "local";
  if (value === "bigquery" || value === "bq") return "bigquery";
  throw new WarehouseConfigError(env.WAREHOUSE ?? "");
}
