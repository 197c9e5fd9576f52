/** The parts of `just bench` that `--skip` can leave out. */
export const PARTS = ["produce", "consume", "e2e", "dbt", "incremental"] as const;
export type Part = (typeof PARTS)[number];

/** The reference dataset's size: the default first size and the end-to-end size. */
export const REFERENCE_ROWS = 885_129;
/** Above this many rows one dbt run per size is the default (a 10M-row build takes minutes). */
export const BIG_DBT_ROWS = 1_000_000;

/** What one `just bench` measures. */
export interface PipelinePlan {
  /** CSV sizes in rows, ascending. */
  sizes: number[];
  /** Runs per step and size (medians reported). */
  runs: number;
  /** dbt runs per size; undefined: `runs`, but 1 above BIG_DBT_ROWS. */
  dbtRuns?: number;
  /** Generator seed of every CSV. */
  seed: number;
  skip: ReadonlySet<Part>;
  /** Events added before the incremental dbt rebuild. */
  incrementalEvents: number;
  /** Partitions of every benchmark topic (what `just produce` creates). */
  partitions: number;
}

/** A command-line value the benchmark cannot use; the message names the flag and what it expects. */
export class PlanUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanUsageError";
  }
}

/**
 * "885129,10_000_000,1e6" → [885129, 1000000, 10000000]: positive integers, underscores allowed
 * as digit separators (commas separate sizes), sorted ascending without duplicates.
 */
export function parseSizes(text: string): number[] {
  const sizes = text.split(",").map((part) => {
    const n = Number(part.trim().replace(/_/g, ""));
    if (part.trim() === "" || !Number.isInteger(n) || n <= 0) {
      throw new PlanUsageError(`--sizes: "${part.trim()}" is not a positive whole number of rows`);
    }
    return n;
  });
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/** "dbt,e2e" → the parts to skip; unknown names are a usage error listing the known ones. */
export function parseParts(text: string): Set<Part> {
  const parts = new Set<Part>();
  for (const raw of text.split(",")) {
    const name = raw.trim();
    if (name === "") continue;
    if (!(PARTS as readonly string[]).includes(name)) {
      throw new PlanUsageError(`--skip: unknown part "${name}" (expected any of ${PARTS.join(", ")})`);
    }
    parts.add(name as Part);
  }
  return parts;
}

/** How many dbt runs a size gets (see PipelinePlan.dbtRuns). */
export function dbtRunsFor(plan: PipelinePlan, rows: number): number {
  return plan.dbtRuns ?? (rows > BIG_DBT_ROWS ? 1 : plan.runs);
}

/** The size the end-to-end test uses: the reference size when listed, else the smallest. */
export function e2eRows(plan: PipelinePlan): number {
  return plan.sizes.includes(REFERENCE_ROWS) ? REFERENCE_ROWS : plan.sizes[0]!;
}

/** Whether `part` runs (incremental also needs dbt). */
export function willRun(plan: PipelinePlan, part: Part): boolean {
  if (part === "incremental") return !plan.skip.has("dbt") && !plan.skip.has("incremental");
  return !plan.skip.has(part);
}

/**
 * Seconds each part is expected to take, from costs measured with this benchmark on the 2-core
 * development machine (2026-11, load ≈ 2): generate 1.0 µs/row; produce ≈ 600k rows/s plus
 * 0.5 s start-up; consume ≈ 190k rows/s plus 1.5 s; dbt build ≈ 19 µs/row plus 8 s (885k rows:
 * 25 s, 10M: 195 s), the incremental rebuild about the same (its models rescan the landing).
 * Topic creation and deletion add about a second per topic. Only an estimate to print up front.
 */
export function estimateSeconds(plan: PipelinePlan, missingCsvRows: readonly number[] = []): Record<Part | "generate", number> {
  const produce = (rows: number) => 1.5 + rows * 1.6e-6;
  const consume = (rows: number) => 1.5 + rows * 5.2e-6;
  const dbt = (rows: number) => 8 + rows * 19e-6;
  const estimate: Record<Part | "generate", number> = { generate: 0, produce: 0, consume: 0, e2e: 0, dbt: 0, incremental: 0 };
  for (const rows of missingCsvRows) estimate.generate += 0.3 + rows * 1.0e-6;
  const needTopic = willRun(plan, "consume") || willRun(plan, "dbt");
  for (const rows of plan.sizes) {
    if (willRun(plan, "produce")) estimate.produce += plan.runs * produce(rows);
    else if (needTopic) estimate.produce += produce(rows); // one untimed fill
    if (willRun(plan, "consume")) estimate.consume += plan.runs * consume(rows);
    else if (willRun(plan, "dbt")) estimate.consume += consume(rows);
    const dbtRuns = dbtRunsFor(plan, rows);
    if (willRun(plan, "dbt")) estimate.dbt += dbtRuns * dbt(rows);
    if (willRun(plan, "incremental")) estimate.incremental += dbtRuns * (dbt(rows) + 3);
  }
  if (willRun(plan, "e2e")) estimate.e2e += plan.runs * (4 + e2eRows(plan) * 7e-6);
  return estimate;
}
