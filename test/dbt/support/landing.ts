/**
 * Synthetic landing data for the dbt project: Parquet files in the consumer's layout
 * (`raw/kafka_ecom_events/event_date=YYYY-MM-DD/*.parquet`, zstd, hive-partitioned), generated
 * by DuckDB SQL so that a few hundred rows for a test and ~885k rows for a benchmark come
 * from the same code. Values derive from hashes of the event number, not from random(), so a
 * batch is identical on every run and every thread count.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";

/** One batch of generated events: event numbers `[first, first + count)`. */
export interface EventBatch {
  /** File-name prefix, unique per batch (the files of two batches must not collide). */
  name: string;
  first: number;
  count: number;
  /** Events fall on `days` days from `firstDay` (YYYY-MM-DD, UTC). */
  firstDay: string;
  days: number;
  /** The `_ingested_at` of every row of the batch. */
  ingestedAt: Date;
  /** Products are drawn from this many ids (default: count / 16, at least 20). */
  products?: number;
  /** Sessions are spread over this many users (default: count / 3, at least 10). */
  users?: number;
}

/** Where the landing files of a warehouse directory live. */
export const landingDir = (warehouseDir: string) => join(warehouseDir, "raw", "kafka_ecom_events");

/** A UTC TIMESTAMP literal for DuckDB from a JS date. */
export const timestampLiteral = (at: Date) =>
  `timestamp '${at.toISOString().replace("T", " ").replace("Z", "")}'`;

/**
 * DuckDB SQL selecting the batch's events with the landing columns plus `event_date`.
 * Sessions of eight events; about 90 % views, 6 % carts, 4 % purchases, as in the reference
 * dataset. Every 50th event carries blank strings (the landing contract says NULL, staging
 * must cope anyway), every 97th has no session, a quarter of products lack a category code.
 */
export function eventBatchSql(batch: EventBatch): string {
  const products = batch.products ?? Math.max(20, Math.floor(batch.count / 16));
  const users = batch.users ?? Math.max(10, Math.floor(batch.count / 3));
  return `
    with numbered as (
        select
            i,
            i // 8 as session_number,
            i % 8 as step,
            cast(hash(i // 8, 'user') % ${users} as bigint) as user_number,
            cast(hash(i, 'product') % ${products} as bigint) as product_number,
            cast(hash(i, 'type') % 100 as bigint) as type_draw
        from range(${batch.first}, ${batch.first + batch.count}) as r(i)
    ),
    events as (
        select
            date '${batch.firstDay}'
                + interval (cast(hash(session_number, 'day') % ${batch.days} as bigint)) day
                + interval (cast(hash(session_number, 'second') % 86400 as bigint)) second
                + interval (step * 45 + cast(hash(i, 'gap') % 40 as bigint)) second as event_time,
            case when type_draw < 90 then 'view' when type_draw < 96 then 'cart' else 'purchase' end
                as event_type,
            cast(1000000 + product_number as varchar) as product_id,
            cast(2053013555631882655 + product_number % 12 as varchar) as category_id,
            case
                when i % 50 = 7 then ''
                when product_number % 4 = 3 then null
                else ['electronics.smartphone', 'computers.notebook', 'appliances.kitchen.kettle',
                      'electronics.audio.headphone', 'computers.components.videocards',
                      'furniture.living_room.sofa'][1 + product_number % 6]
            end as category_code,
            case
                when i % 50 = 7 then '  '
                when product_number % 5 = 4 then null
                else ['samsung', 'apple', 'xiaomi', 'lenovo', 'asus', 'bosch'][1 + product_number % 6]
            end as brand,
            round(1 + cast(hash(product_number, 'price') % 200000 as bigint) / 100.0, 2) as price,
            cast(1515915625000000000 + user_number as varchar) as user_id,
            case when i % 97 = 5 then null else 'session-' || session_number end as user_session,
            cast(user_number % 3 as integer) as _kafka_partition,
            cast(i as bigint) as _kafka_offset,
            ${timestampLiteral(batch.ingestedAt)} as _ingested_at
        from numbered
    )
    select *, cast(event_time as date) as event_date from events`;
}

/** Copies the rows of `select` (with an `event_date` column) into the landing layout. */
export async function copyToLanding(
  connection: DuckDBConnection,
  warehouseDir: string,
  name: string,
  select: string,
): Promise<void> {
  mkdirSync(landingDir(warehouseDir), { recursive: true });
  await connection.run(
    `copy (${select}) to '${landingDir(warehouseDir)}' (
        format parquet, compression zstd, partition_by (event_date),
        overwrite_or_ignore, filename_pattern '${name}_{i}')`,
  );
}

/** Writes one generated batch as landing files; returns nothing, the files are the result. */
export async function writeEventBatch(
  connection: DuckDBConnection,
  warehouseDir: string,
  batch: EventBatch,
): Promise<void> {
  await copyToLanding(connection, warehouseDir, batch.name, eventBatchSql(batch));
}

/**
 * Lands again the records of earlier files whose offset is a multiple of `every` — what a
 * consumer crash between writing a file and committing its offsets produces: same
 * coordinates, later `_ingested_at`, another file.
 */
export async function writeRedelivery(
  connection: DuckDBConnection,
  warehouseDir: string,
  name: string,
  options: { filesLike: string; every: number; ingestedAt: Date },
): Promise<void> {
  await copyToLanding(
    connection,
    warehouseDir,
    name,
    `select * replace (${timestampLiteral(options.ingestedAt)} as _ingested_at)
     from read_parquet('${landingDir(warehouseDir)}/*/${options.filesLike}', hive_partitioning = true)
     where _kafka_offset % ${options.every} = 0`,
  );
}
