import {
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBConnection,
  type DuckDBResult,
  type DuckDBType,
  type DuckDBValue,
} from "@duckdb/node-api";
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { RAW_TABLE, dbtDatabasePath, landingGlob, landingRoot, sqlIdentifier, sqlString, warehouseDir } from "./landing.ts";
import { NO_DATA_MESSAGE, NoDataError, QueryError, type Cell, type Column, type QueryOptions, type QueryResult, type Warehouse } from "./warehouse.ts";

/**
 * The local warehouse as one in-memory DuckDB session that takes no lock on anything the consumer
 * or dbt writes:
 *   - `kafka_ecom_events` is a view over the landing Parquet files (read_parquet with hive
 *     partitioning), so it always shows what has landed so far;
 *   - dbt's database (`<warehouse>/ecom.duckdb`) is attached READ_ONLY under its own name
 *     (`ecom`, the name dbt's views use in their references) and made the default catalog, so
 *     `main.fct_daily_kpis` and `fct_daily_kpis` both resolve to dbt's models; the search path
 *     ends with the in-memory `memory.main`, where the raw view lives.
 * A running `dbt` holds a write lock on its file: the session then serves the raw view only and
 * says so in `notices`.
 */

/** Where the local warehouse is. */
export interface DuckDbWarehouseOptions {
  /** Default: WAREHOUSE_DIR, else `<repo>/.local/warehouse`. */
  warehouseDir?: string;
  /** Attach dbt's database when it exists (default true). */
  attachDbt?: boolean;
}

const NUMERIC_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.DECIMAL,
  DuckDBTypeId.BIGNUM,
]);

// A query that listed a landing file just before compaction removed it fails once with this.
const VANISHED_FILE = /No such file or directory|No files found that match the pattern/;

/** Opens the local warehouse session (see the module comment). */
export async function openDuckDbWarehouse(options: DuckDbWarehouseOptions = {}): Promise<DuckDbWarehouse> {
  const dir = options.warehouseDir ?? warehouseDir();
  const instance = await DuckDBInstance.create(":memory:", {
    // Everything needed (parquet, json, icu) is built in; never reach for the network.
    autoinstall_known_extensions: "false",
  });
  const connection = await instance.connect();
  // TIMESTAMPTZ values (e.g. now()) print in UTC, like the naive UTC timestamps of the data. ICU
  // is built in but only loaded once the instance exists, so this cannot go in the config above.
  await connection.run("set TimeZone = 'UTC'");
  const notices: string[] = [];
  const hasData = await createRawView(connection, dir);
  if (!hasData) notices.push(`${NO_DATA_MESSAGE} (no Parquet files under ${landingRoot(dir)})`);
  const dbtFile = dbtDatabasePath(dir);
  if ((options.attachDbt ?? true) && existsSync(dbtFile)) {
    const alias = basename(dbtFile).replace(/\.duckdb$/, "");
    try {
      await connection.run(`attach ${sqlString(dbtFile)} as ${sqlIdentifier(alias)} (read_only)`);
      await connection.run(`use ${sqlIdentifier(alias)}`);
      await connection.run(`set search_path = ${sqlString(`${alias}.main,memory.main`)}`);
    } catch (error) {
      const message = (error as Error).message;
      notices.push(
        /lock/i.test(message)
          ? `dbt's database ${dbtFile} is locked by a running dbt (${lockHolder(message)}): dbt models are not available until it finishes; the raw view ${RAW_TABLE} still works`
          : `cannot attach dbt's database ${dbtFile} (${message.split("\n")[0]}); the raw view ${RAW_TABLE} still works`,
      );
    }
  }
  return new DuckDbWarehouse(instance, connection, dir, hasData, notices);
}

/**
 * Creates the `kafka_ecom_events` view when at least one landing file exists (read_parquet fails
 * on a glob matching nothing, so the view cannot exist before). Returns whether it exists.
 */
async function createRawView(connection: DuckDBConnection, dir: string): Promise<boolean> {
  const glob = landingGlob(dir);
  const found = await connection.runAndReadAll(`select count(*) from glob(${sqlString(glob)})`);
  if (Number(found.getRows()[0]?.[0] ?? 0) === 0) return false;
  await connection.run(
    `create or replace view memory.main.${sqlIdentifier(RAW_TABLE)} as
     select * from read_parquet(${sqlString(glob)}, hive_partitioning = true, union_by_name = true)`,
  );
  return true;
}

/** The local warehouse session; create it with openDuckDbWarehouse. */
export class DuckDbWarehouse implements Warehouse {
  readonly kind = "duckdb";

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly location: string,
    private hasData: boolean,
    readonly notices: string[],
  ) {}

  /**
   * Runs `sql` (several statements are allowed; the last one's rows are returned), reading at
   * most `maxRows` rows and counting the rest. Retries once when a landing file vanished under
   * the query (compaction). Throws NoDataError when the query needs the raw table and nothing
   * has landed, QueryError with DuckDB's message otherwise.
   */
  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    // A long-lived session (the dashboard) may have opened before the first file landed.
    if (!this.hasData) this.hasData = await createRawView(this.connection, this.location);
    try {
      return await this.run(sql, options);
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      if (VANISHED_FILE.test(message) && this.hasData) {
        return await this.run(sql, options).catch((again) => {
          throw new QueryError("duckdb", (again as Error).message, { cause: again });
        });
      }
      if (!this.hasData && new RegExp(`\\b${RAW_TABLE}\\b`).test(message)) {
        throw new NoDataError(landingRoot(this.location), { cause: error });
      }
      throw new QueryError("duckdb", message, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async run(sql: string, options: QueryOptions): Promise<QueryResult> {
    const started = performance.now();
    const statements = await this.connection.extractStatements(sql);
    if (statements.count === 0) throw new Error("no SQL statement given");
    for (let i = 0; i < statements.count - 1; i++) {
      const statement = await statements.prepare(i);
      await statement.run();
      statement.destroySync();
    }
    const last = await statements.prepare(statements.count - 1);
    try {
      const result = await last.stream();
      return { ...(await readResult(result, options.maxRows ?? Infinity)), elapsedMs: performance.now() - started };
    } finally {
      last.destroySync();
    }
  }
}

/** Reads a streamed result: converts up to `maxRows` rows, counts the rest. */
async function readResult(result: DuckDBResult, maxRows: number): Promise<Omit<QueryResult, "elapsedMs">> {
  const types = result.columnTypes();
  const columns: Column[] = result.columnNames().map((name, i) => ({
    name,
    type: types[i]!.toString(),
    numeric: NUMERIC_TYPES.has(types[i]!.typeId),
  }));
  const rows: Cell[][] = [];
  let totalRows = 0;
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    totalRows += chunk.rowCount;
    if (rows.length >= maxRows) continue;
    for (const row of chunk.getRows()) {
      if (rows.length >= maxRows) break;
      rows.push(row.map((value, i) => toCell(value, types[i]!)));
    }
  }
  return { columns, rows, totalRows };
}

/** A DuckDB value as a Cell: JS primitives as they are, everything else in DuckDB's own text form. */
export function toCell(value: DuckDBValue, type: DuckDBType): Cell {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return value;
  if (type.typeId === DuckDBTypeId.DECIMAL && "width" in type && (type.width as number) <= 15) {
    // Up to 15 significant digits survive a double exactly, so small decimals become numbers.
    return Number(String(value));
  }
  return String(value);
}

/** The process named in DuckDB's lock error ("… is held in /path/bin (PID 123)"). */
function lockHolder(message: string): string {
  const match = /held in (.+?) \(PID (\d+)\)/.exec(message);
  return match ? `pid ${match[2]}, ${basename(match[1]!)}` : "another process";
}
