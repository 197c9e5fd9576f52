import type { TableMetadata } from "@google-cloud/bigquery";

/** The raw landing table the consumer streams into and dbt's staging models read. */
export const RAW_TABLE = "kafka_ecom_events";

type ColumnType = "TIMESTAMP" | "STRING" | "FLOAT64" | "INT64";

interface Column {
  name: string;
  type: ColumnType;
  description: string;
}

/** The columns of `kafka_ecom_events`, all NULLABLE: the nine CSV fields, then the Kafka coordinates. */
export const RAW_COLUMNS: readonly Column[] = [
  { name: "event_time", type: "TIMESTAMP", description: "When the event happened (UTC, microseconds)." },
  { name: "event_type", type: "STRING", description: "view, cart, remove_from_cart or purchase." },
  { name: "product_id", type: "STRING", description: "Product id (a string: ids exceed 2^53)." },
  { name: "category_id", type: "STRING", description: "Category id (a string: ids exceed 2^53)." },
  { name: "category_code", type: "STRING", description: "Category path such as electronics.telephone." },
  { name: "brand", type: "STRING", description: "Brand, NULL when unknown." },
  { name: "price", type: "FLOAT64", description: "Price at the time of the event." },
  { name: "user_id", type: "STRING", description: "User id (a string: ids exceed 2^53)." },
  { name: "user_session", type: "STRING", description: "Session id, NULL when missing." },
  { name: "_kafka_partition", type: "INT64", description: "Kafka partition the event was read from." },
  { name: "_kafka_offset", type: "INT64", description: "Kafka offset; with the partition, identifies a delivery." },
  { name: "_ingested_at", type: "TIMESTAMP", description: "When the consumer handed the row to the sink." },
];

export const RAW_PARTITION_FIELD = "event_time";
export const RAW_CLUSTERING = ["event_type", "product_id", "category_code"] as const;

/** The tables.insert body for `kafka_ecom_events`: schema, DAY partitioning on event_time, clustering. */
export function rawTableMetadata(): TableMetadata {
  return {
    description: "E-commerce click events streamed from Kafka by scripts/consume.ts (at-least-once).",
    schema: {
      fields: RAW_COLUMNS.map(({ name, type, description }) => ({ name, type, mode: "NULLABLE", description })),
    },
    timePartitioning: { type: "DAY", field: RAW_PARTITION_FIELD },
    clustering: { fields: [...RAW_CLUSTERING] },
  };
}

// tables.get answers with legacy type names (FLOAT, INTEGER) whatever the table was created with.
const TYPE_ALIASES: Record<string, string> = { FLOAT: "FLOAT64", INTEGER: "INT64", BOOLEAN: "BOOL" };
const standardType = (type: string | undefined) => {
  const upper = (type ?? "?").toUpperCase();
  return TYPE_ALIASES[upper] ?? upper;
};

/**
 * What differs between an existing table (tables.get metadata) and `kafka_ecom_events` as the
 * pipeline needs it, one human-readable line per difference; empty when it matches. Descriptions
 * and column order are ignored; an expiration is a difference because it would delete the data
 * (the original pipeline's one-hour default expiration lost everything).
 */
export function rawTableDifferences(actual: TableMetadata): string[] {
  const differences: string[] = [];
  const fields = new Map((actual.schema?.fields ?? []).map((field) => [field.name ?? "", field]));
  for (const column of RAW_COLUMNS) {
    const field = fields.get(column.name);
    fields.delete(column.name);
    if (!field) {
      differences.push(`column ${column.name} ${column.type} is missing`);
      continue;
    }
    const type = standardType(field.type);
    const mode = (field.mode ?? "NULLABLE").toUpperCase();
    if (type !== column.type || mode !== "NULLABLE") {
      differences.push(`column ${column.name} is ${type} ${mode}, expected ${column.type} NULLABLE`);
    }
  }
  for (const [name, field] of fields) {
    differences.push(`unexpected column ${name} ${standardType(field.type)}`);
  }

  const partitioning = actual.timePartitioning;
  const partitionText = partitioning
    ? `${partitioning.type ?? "?"} on ${partitioning.field ?? "_PARTITIONTIME"}`
    : "none";
  if (partitionText !== `DAY on ${RAW_PARTITION_FIELD}`) {
    differences.push(`time partitioning is ${partitionText}, expected DAY on ${RAW_PARTITION_FIELD}`);
  }
  const clustering = (actual.clustering?.fields ?? []).join(", ") || "none";
  if (clustering !== RAW_CLUSTERING.join(", ")) {
    differences.push(`clustering is ${clustering}, expected ${RAW_CLUSTERING.join(", ")}`);
  }
  if (actual.expirationTime) {
    const when = new Date(Number(actual.expirationTime)).toISOString();
    differences.push(`the table expires at ${when} (its rows would be deleted), expected no expiration`);
  }
  return differences;
}
