/**
 * Deterministic RawRows for the Parquet sink's tests and benchmark: the shape of the reference
 * dataset (mostly views, ids beyond 2^53 as strings, NULLs in the nullable columns) without
 * depending on the event generator.
 */
import type { RawRow } from "../../lib/sinks/sink.ts";

const TYPES = ["view", "view", "view", "view", "view", "view", "view", "view", "cart", "purchase", "remove_from_cart"];
const CATEGORIES = ["electronics.telephone", "computers.components.cpu", "electronics.audio.headphone", null, "appliances.kitchen.kettle"];
const BRANDS = ["samsung", "apple", "xiaomi", null, "huawei", "asus", "msi"];
const DAY_MICROS = 86_400_000_000;

/** Options of a generated batch. */
export interface RowsOptions {
  count: number;
  /** Seed of the pseudo-random sequence: same seed, same rows. */
  seed?: number;
  /** Offsets are `firstOffset + i` per partition (each partition's offsets increase). */
  firstOffset?: number;
  partitions?: number;
  /** First UTC day (YYYY-MM-DD) and how many days event_time spans. */
  firstDay?: string;
  days?: number;
  ingestedAt?: number;
}

/** Generates `count` rows round-robin over `partitions` with contiguous offsets per partition. */
export function makeRows(options: RowsOptions): RawRow[] {
  const { count, seed = 1, firstOffset = 0, partitions = 3, firstDay = "2020-09-24", days = 3 } = options;
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const base = Date.parse(`${firstDay}T00:00:00Z`) * 1000;
  const ingestedAt = options.ingestedAt ?? Date.now() * 1000;
  const rows = new Array<RawRow>(count);
  for (let i = 0; i < count; i++) {
    const product = Math.floor(random() * 50_000);
    rows[i] = {
      event_time: base + Math.floor(random() * days * DAY_MICROS),
      event_type: TYPES[Math.floor(random() * TYPES.length)]!,
      product_id: String(1_000_000 + product),
      // 19-digit ids: beyond 2^53, so only exact as strings.
      category_id: random() < 0.98 ? `21444159225284${10_000 + (product % 900)}` : null,
      category_code: CATEGORIES[product % CATEGORIES.length]!,
      brand: BRANDS[product % BRANDS.length]!,
      price: random() < 0.99 ? Math.round(random() * 100_000) / 100 : null,
      user_id: `15159156${String(Math.floor(random() * 1e11)).padStart(11, "0")}`,
      user_session: random() < 0.999 ? sessionId(random) : null,
      _kafka_partition: i % partitions,
      _kafka_offset: firstOffset + Math.floor(i / partitions),
      _ingested_at: ingestedAt,
    };
  }
  // Strings built by template literals are ropes, which cost JSC far more to join than the flat
  // strings a decoder returns (avsc's readString is Buffer#utf8Slice). Re-parse to get flat ones.
  return JSON.parse(JSON.stringify(rows)) as RawRow[];
}

const hex = (random: () => number, digits: number) =>
  Math.floor(random() * 16 ** digits)
    .toString(16)
    .padStart(digits, "0");

/** A UUID-shaped session id (the reference data's sessions are UUIDs). */
const sessionId = (random: () => number) =>
  `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${hex(random, 6)}${hex(random, 6)}`;
