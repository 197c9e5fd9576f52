import { randomTag } from "./parquet-files.ts";
import { columnRejectReason } from "./parquet-validate.ts";
import { RowBatch, type RejectedRow } from "./sink.ts";

/**
 * Splits a batch into the files it becomes: one per UTC date of event_time (the hive partition),
 * named after the offset range of every Kafka partition it holds, e.g.
 * `p0-o1200-1999_p1-o800-1450-9f2c4a1b.parquet` — a redelivered range shows up as a second file
 * with overlapping offsets. Only when the ranges would make the name longer than
 * MAX_RANGES_LENGTH (file names are limited to 255 bytes; about a dozen partitions with 7-digit
 * offsets fit) are a date's partitions spread over several files.
 *
 * Why not one file per (date, partition): every file is a separate COPY with a fixed cost
 * (~1 ms of DuckDB CPU for a one-row file: planning, opening a 12-column Parquet writer), and
 * a backfill batch spans ~40 dates already; 6 partitions would make that 240 files a batch.
 */

/** Longest `p…-o…-…_…` part of a file name; the tag and suffix add 17 bytes. */
export const MAX_RANGES_LENGTH = 200;

const DAY_MICROS = 86_400_000_000;

/** One output file: its date and what its name says about its rows. */
export interface PlannedFile {
  /** UTC date of every row's event_time, `YYYY-MM-DD`. */
  date: string;
  /** First and last offset per Kafka partition, ascending by partition: the name's content. */
  ranges: PartitionRange[];
  rows: number;
}

/** The rows of one Kafka partition on one date, and their offset range. */
export interface PartitionRange {
  partition: number;
  first: number;
  last: number;
}

/** A validated batch: the files to write, which file each row goes to, and the rows refused. */
export interface BatchPlan {
  files: PlannedFile[];
  /** Per part of the batch, per row: its index in `files`, or -1 when rejected. */
  fileOf: Int32Array[];
  rejected: RejectedRow[];
}

interface Group extends PartitionRange {
  id: number;
  day: number;
  rows: number;
  file: number;
}

/**
 * Validates every row (columnRejectReason) and assigns the valid ones to files, in date order.
 * Rows stay where they are; sorting them is the writer's job.
 */
export function planBatch(batch: RowBatch): BatchPlan {
  const rejected: RejectedRow[] = [];
  const groups: Group[] = [];
  const byDay = new Map<number, Map<number, Group>>();
  // Batches come in long runs of one day and partition: skip the maps for those.
  let last: Group | undefined;
  const fileOf = batch.parts.map((part) => {
    const groupOf = new Int32Array(part.length);
    for (let i = 0; i < part.length; i++) {
      const reason = columnRejectReason(part, i);
      if (reason !== undefined) {
        rejected.push({ row: RowBatch.row(part, i), reason });
        groupOf[i] = -1;
        continue;
      }
      const day = Math.floor(part.eventTime[i]! / DAY_MICROS);
      const partition = part.partition[i]!;
      const offset = part.offset[i]!;
      let group = last !== undefined && last.day === day && last.partition === partition ? last : undefined;
      if (!group) {
        let partitions = byDay.get(day);
        if (!partitions) byDay.set(day, (partitions = new Map()));
        group = partitions.get(partition);
        if (!group) {
          partitions.set(partition, (group = { id: groups.length, day, partition, first: offset, last: offset, rows: 0, file: -1 }));
          groups.push(group);
        }
        last = group;
      }
      groupOf[i] = group.id;
      group.rows++;
      if (offset < group.first) group.first = offset;
      else if (offset > group.last) group.last = offset;
    }
    return groupOf;
  });
  const files: PlannedFile[] = [];
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    const partitions = [...byDay.get(day)!.values()].sort((a, b) => a.partition - b.partition);
    packPartitions(date, partitions, files);
  }
  for (const groupOf of fileOf) for (let i = 0; i < groupOf.length; i++) if (groupOf[i]! >= 0) groupOf[i] = groups[groupOf[i]!]!.file;
  return { files, fileOf, rejected };
}

/** Puts a date's partitions into as few files as the name length allows (appended to `files`). */
function packPartitions(date: string, partitions: Group[], files: PlannedFile[]): void {
  let current: Group[] = [];
  let length = 0;
  const flush = () => {
    if (current.length === 0) return;
    for (const group of current) group.file = files.length;
    files.push({
      date,
      ranges: current.map(({ partition, first, last }) => ({ partition, first, last })),
      rows: current.reduce((sum, group) => sum + group.rows, 0),
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
}

const rangeText = ({ partition, first, last }: PartitionRange) => `p${partition}-o${first}-${last}`;

/** The file name for a planned file: its offset ranges by partition, then a random tag. */
export function plannedFileName(file: Pick<PlannedFile, "ranges">): string {
  return `${file.ranges.map(rangeText).join("_")}-${randomTag()}.parquet`;
}

/**
 * What a file costs to write, in rows: DuckDB spends ~2 µs a row (sort, encoding, zstd) plus
 * ~1.5–2 ms per file (planning the COPY, opening a Parquet writer) — about a thousand rows' worth.
 */
const FILE_COST_ROWS = 1_000;

/**
 * Shares files between `workers` so that each gets about the same work: largest first, each to
 * the least loaded worker. Returns one list per worker (some may be empty).
 */
export function shareFiles<T extends { rows: number }>(files: readonly T[], workers: number): T[][] {
  const shares: T[][] = Array.from({ length: workers }, () => []);
  const loads = new Array<number>(workers).fill(0);
  for (const file of [...files].sort((a, b) => b.rows - a.rows)) {
    const least = loads.indexOf(Math.min(...loads));
    shares[least]!.push(file);
    loads[least]! += file.rows + FILE_COST_ROWS;
  }
  return shares;
}
