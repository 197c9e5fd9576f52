/** Median, minimum and maximum of repeated measurements of one configuration. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** How many measurements went in. */
  count: number;
}

/** Thrown when a summary is asked of no measurements (a run that produced no number). */
export class EmptySampleError extends Error {
  constructor(readonly what: string) {
    super(`no measurements for ${what}: every run failed or none ran`);
    this.name = "EmptySampleError";
  }
}

/**
 * The median of `values` (the mean of the middle two for an even count). Medians rather than
 * means because a busy machine adds one-sided outliers: a run slowed by a neighbour says
 * nothing about the client under test.
 */
export function median(values: readonly number[], what = "values"): number {
  if (values.length === 0) throw new EmptySampleError(what);
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median, min and max of `values`; throws EmptySampleError (naming `what`) when there are none. */
export function summarize(values: readonly number[], what = "values"): Summary {
  if (values.length === 0) throw new EmptySampleError(what);
  return { median: median(values, what), min: Math.min(...values), max: Math.max(...values), count: values.length };
}
