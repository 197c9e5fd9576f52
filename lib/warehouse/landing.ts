import { join } from "node:path";
import { paths } from "../paths.ts";

/**
 * The local warehouse's landing layout — a contract shared by the Parquet sink (writer), the
 * compaction, `just sql`, the dashboard and dbt (models/staging/_kafka__sources.yml and
 * macros/landing_files.sql spell the same glob):
 *
 *   <warehouse>/raw/kafka_ecom_events/event_date=YYYY-MM-DD/<name>.parquet
 *
 * Only complete files end in `.parquet`; files being written are `.<name>.parquet.tmp` in the
 * same directory, so no reader glob ever matches a partial file.
 */

/** Name of the raw table, as a folder locally and as a table on BigQuery. */
export const RAW_TABLE = "kafka_ecom_events";

/** The hive partition column: the UTC date of event_time (a folder name, not stored in files). */
export const PARTITION_COLUMN = "event_date";

/** Columns of every landing file, in file order, with their DuckDB types. */
export const RAW_COLUMNS = [
  ["event_time", "TIMESTAMP"],
  ["event_type", "VARCHAR"],
  ["product_id", "VARCHAR"],
  ["category_id", "VARCHAR"],
  ["category_code", "VARCHAR"],
  ["brand", "VARCHAR"],
  ["price", "DOUBLE"],
  ["user_id", "VARCHAR"],
  ["user_session", "VARCHAR"],
  ["_kafka_partition", "INTEGER"],
  ["_kafka_offset", "BIGINT"],
  ["_ingested_at", "TIMESTAMP"],
] as const;

/** BigQuery's clustering columns; rows inside each local file are sorted by them too. */
export const CLUSTER_COLUMNS = ["event_type", "product_id", "category_code"] as const;

/** Suffix of complete landing files; temp files must never end with it. */
export const PARQUET_SUFFIX = ".parquet";
const TEMP_SUFFIX = ".parquet.tmp";

/** The warehouse folder: WAREHOUSE_DIR, else `<repo>/.local/warehouse`. */
export const warehouseDir = (): string => paths.warehouse;

/** `<warehouse>/raw/kafka_ecom_events`: the root of the hive-partitioned landing files. */
export const landingRoot = (warehouse: string = warehouseDir()): string => join(warehouse, "raw", RAW_TABLE);

/** The folder of one event date (`YYYY-MM-DD`). */
export const partitionDir = (root: string, date: string): string => join(root, `${PARTITION_COLUMN}=${date}`);

/** The glob every reader uses: complete files of every date. */
export const landingGlob = (warehouse: string = warehouseDir()): string =>
  join(landingRoot(warehouse), `${PARTITION_COLUMN}=*`, `*${PARQUET_SUFFIX}`);

/** The DuckDB file dbt builds beside the landing files (`profiles.yml`, target `local`). */
export const dbtDatabasePath = (warehouse: string = warehouseDir()): string => join(warehouse, "ecom.duckdb");

/** The temp name a file is written under before it is renamed to `name`. */
export const tempNameFor = (name: string): string => `.${name.slice(0, -PARQUET_SUFFIX.length)}${TEMP_SUFFIX}`;

/** Whether a directory entry is a temp file (a write in progress, or left by a crash). */
export const isTempName = (name: string): boolean => name.startsWith(".") && name.endsWith(TEMP_SUFFIX);

/** Whether a directory entry is a complete landing file. */
export const isLandingFile = (name: string): boolean => !name.startsWith(".") && name.endsWith(PARQUET_SUFFIX);

const DATE_DIR = /^event_date=(\d{4}-\d{2}-\d{2})$/;

/** The date of a partition folder name, or undefined for anything else in the landing root. */
export const dateOfPartitionDir = (name: string): string | undefined => DATE_DIR.exec(name)?.[1];

/** A string literal for DuckDB SQL (paths may contain quotes). */
export const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** A quoted identifier for DuckDB SQL. */
export const sqlIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
