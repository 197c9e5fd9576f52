import { randomTag } from "./parquet-files.ts";
import { rejectReason } from "./parquet-validate.ts";
import type { RawRow, RejectedRow } from "./sink.ts";

/**
 * Splits a batch into the files it becomes: one per UTC date of event_time (the hive partition),
 * named after the offset range of every Kafka partition it holds, e.g.
 * `p0-o1200-1999_p1-o800-1450-9f2c4a1b.parquet` — a redelivered range shows up as a second file
 * with overlapping offsets. Only when the ranges would make the name longer than
 * MAX_RANGES_LENGTH (file names are limited to 255 bytes; about a dozen partitions with 7-digit
 * offsets fit) are a date's partitions spread over several files.
 *
 * Why not one file per (date, partition): every file is a separate COPY with a fixed cost
 * (~1 ms to prepare, ~1.2 ms to open a 12-column Parquet writer; 550-row files cost 4–5 ms CPU
 * each), and per-file costs dominated: 500k rows over 3 dates × 6 partitions took 1,420–1,750 ms
 * CPU as 18 files against 830–1,030 ms as 3. A backfill batch spans many dates, so it matters.
 */

/** Longest `p…-o…-…_…` part of a file name; the tag and suffix add 17 bytes. */
export const MAX_RANGES_LENGTH = 200;

const DAY_MICROS = 86_400_000_000;

/** The rows of one output file, with what its name says about them. */
export interface PlannedFile {
  /** UTC date of every row's event_time, `YYYY-MM-DD`. */
  date: string;
  rows: RawRow[];
  /** First and last offset per Kafka partition, ascending by partition: the name's content. */
  ranges: PartitionRange[];
}

/** The rows of one Kafka partition on one date, and their offset range. */
export interface PartitionRange {
  partition: number;
  first: number;
  last: number;
}

/** A validated batch: the files to write and the rows refused. */
export interface BatchPlan {
  files: PlannedFile[];
  rejected: RejectedRow[];
}

interface PartitionRows extends PartitionRange {
  rows: RawRow[];
}

/**
 * Validates every row (rejectReason) and groups the valid ones into files, in date order. Rows
 * keep their batch order within a partition; sorting them is the writer's job.
 */
export function planBatch(rows: readonly RawRow[]): BatchPlan {
  const rejected: RejectedRow[] = [];
  const byDay = new Map<number, Map<number, PartitionRows>>();
  // Batches come in long runs of one day and partition: skip the maps for those.
  let lastDay = Number.NaN;
  let lastPartition = Number.NaN;
  let last: PartitionRows | undefined;
  for (const row of rows) {
    const reason = rejectReason(row);
    if (reason !== undefined) {
      rejected.push({ row, reason });
      continue;
    }
    const day = Math.floor(row.event_time / DAY_MICROS);
    const partition = row._kafka_partition;
    const offset = row._kafka_offset;
    let group = day === lastDay && partition === lastPartition ? last : undefined;
    if (!group) {
      let partitions = byDay.get(day);
      if (!partitions) byDay.set(day, (partitions = new Map()));
      group = partitions.get(partition);
      if (!group) partitions.set(partition, (group = { partition, first: offset, last: offset, rows: [] }));
      lastDay = day;
      lastPartition = partition;
      last = group;
    }
    group.rows.push(row);
    if (offset < group.first) group.first = offset;
    else if (offset > group.last) group.last = offset;
  }
  const files: PlannedFile[] = [];
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    const partitions = [...byDay.get(day)!.values()].sort((a, b) => a.partition - b.partition);
    files.push(...packPartitions(date, partitions));
  }
  return { files, rejected };
}

/** Puts a date's partitions into as few files as the name length allows. */
function packPartitions(date: string, partitions: PartitionRows[]): PlannedFile[] {
  const files: PlannedFile[] = [];
  let current: PartitionRows[] = [];
  let length = 0;
  const flush = () => {
    if (current.length === 0) return;
    files.push({
      date,
      rows: current.length === 1 ? current[0]!.rows : current.flatMap((group) => group.rows),
      ranges: current.map(({ partition, first, last }) => ({ partition, first, last })),
    });
    current = [];
    length = 0;
  };
  for (const group of partitions) {
    const text = rangeText(group).length;
    // +1 for the "_" between ranges.
    if (current.length > 0 && length + 1 + text > MAX_RANGES_LENGTH) flush();
    length += (current.length > 0 ? 1 : 0) + text;
    current.push(group);
  }
  flush();
  return files;
}

const rangeText = ({ partition, first, last }: PartitionRange) => `p${partition}-o${first}-${last}`;

/** The file name for a planned file: its offset ranges by partition, then a random tag. */
export function plannedFileName(file: Pick<PlannedFile, "ranges">): string {
  return `${file.ranges.map(rangeText).join("_")}-${randomTag()}.parquet`;
}
