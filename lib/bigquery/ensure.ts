import type { BigQuery, DatasetResource, TableMetadata } from "@google-cloud/bigquery";
import type { BigQueryConfig } from "./config.ts";
import { endpointOf } from "./client.ts";
import { BigQueryTableError } from "./errors.ts";
import { withRetry, type RetryPolicy } from "./retry.ts";
import { RAW_TABLE, rawTableDifferences, rawTableMetadata } from "./schema.ts";

/** What dataset/table setup needs: the client, where, and how hard to retry. */
export interface SetupContext {
  bigquery: BigQuery;
  config: BigQueryConfig;
  retry: RetryPolicy;
}

/**
 * Creates the dataset if it is missing — in BQ_LOCATION and without a default table expiration —
 * and checks an existing one. Safe to run concurrently: "already exists" (409, or the emulator's
 * 500 "is already created") is resolved by reading the dataset back. A default table expiration
 * is refused rather than tolerated: it would make this table and every dbt model vanish (the
 * original pipeline's one-hour expiration bug).
 */
export async function ensureDataset({ bigquery, config, retry }: SetupContext): Promise<void> {
  const dataset = bigquery.dataset(config.dataset, { location: config.location });
  const metadata = await createOrGet(
    `checking or creating dataset ${config.dataset}`,
    { config, retry },
    async () => (await dataset.getMetadata())[0] as DatasetResource,
    // No defaultTableExpirationMs: tables live until someone drops them.
    () => bigquery.createDataset(config.dataset, { location: config.location }),
  );
  const differences: string[] = [];
  if (metadata.defaultTableExpirationMs) {
    const hours = Number(metadata.defaultTableExpirationMs) / 3_600_000;
    differences.push(`it has a default table expiration of ${hours} h: new tables (this one, dbt's models) would be deleted`);
  }
  if (metadata.location && metadata.location.toLowerCase() !== config.location.toLowerCase()) {
    differences.push(`it is in location ${metadata.location}, but BQ_LOCATION is ${config.location}`);
  }
  if (differences.length > 0) {
    const id = `${config.projectId}:${config.dataset}`;
    throw new BigQueryTableError(
      `dataset ${id}`,
      differences,
      `Fix it (\`bq update --default_table_expiration 0 ${id}\`, or set BQ_LOCATION to the dataset's location), or set BQ_DATASET to another dataset.`,
    );
  }
}

/**
 * Creates `kafka_ecom_events` if it is missing (schema, DAY partitioning on event_time,
 * clustering) and checks that an existing one — ours or someone else's — matches; otherwise
 * throws a BigQueryTableError listing every difference. Idempotent and safe to run concurrently.
 */
export async function ensureRawTable({ bigquery, config, retry }: SetupContext): Promise<void> {
  const dataset = bigquery.dataset(config.dataset, { location: config.location });
  const table = dataset.table(RAW_TABLE);
  const metadata = await createOrGet(
    `checking or creating table ${config.dataset}.${RAW_TABLE}`,
    { config, retry },
    async () => (await table.getMetadata())[0] as TableMetadata,
    () => dataset.createTable(RAW_TABLE, rawTableMetadata()),
  );
  const differences = rawTableDifferences(metadata);
  if (differences.length > 0) {
    const id = `${config.projectId}:${config.dataset}.${RAW_TABLE}`;
    throw new BigQueryTableError(
      `table ${id}`,
      differences,
      `Drop it (\`bq rm -t ${id}\`) so the consumer recreates it, or set BQ_DATASET to another dataset.`,
    );
  }
}

/**
 * Reads a resource, creating it first when it does not exist. After a failed create the resource
 * is read again: whether the failure was a 409, the emulator's 500, or a concurrent creator
 * winning the race, "it exists now" is success. Anything else goes through the retry policy.
 */
async function createOrGet<T>(
  what: string,
  { config, retry }: Pick<SetupContext, "config" | "retry">,
  get: () => Promise<T>,
  create: () => Promise<unknown>,
): Promise<T> {
  return withRetry(what, endpointOf(config), retry, async () => {
    const existing = await getIfExists(get);
    if (existing !== undefined) return existing;
    try {
      await create();
    } catch (error) {
      const after = await getIfExists(get);
      if (after !== undefined) return after;
      throw error;
    }
    return get();
  });
}

async function getIfExists<T>(get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (error) {
    if ((error as { code?: unknown }).code === 404) return undefined;
    throw error;
  }
}
