/**
 * Short-lived DuckDB sessions on a warehouse file between dbt runs. DuckDB lets one process
 * write a file at a time, so every session closes before dbt runs again.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

/** Opens `path` (":memory:" for scratch work), runs `work`, and closes the file again. */
export async function withDuckDB<T>(path: string, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(path, { autoinstall_known_extensions: "false" });
  const connection = await instance.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Rows of `sql` as plain JSON values (BIGINT and DECIMAL come back as strings). */
export async function rows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson();
}

/** The single value of a one-row, one-column query, as a number. */
export async function scalar(connection: DuckDBConnection, sql: string): Promise<number> {
  const [row] = (await connection.runAndReadAll(sql)).getRowsJS();
  return Number(row?.[0]);
}

/** The values of a one-column query, as sorted strings. */
export async function column(connection: DuckDBConnection, sql: string): Promise<string[]> {
  const result = await connection.runAndReadAll(sql);
  return result.getRowsJS().map((row) => String(row[0])).sort();
}
