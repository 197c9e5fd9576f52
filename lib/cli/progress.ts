import { formatBytes, formatCount, formatDuration, formatRate } from "./format.ts";

/** Where we are: rows handled, input bytes consumed (for the ETA), rows refused. */
export interface ProgressCounts {
  rows: number;
  bytes?: number;
  rejects?: number;
}

/** What a reporter writes to: process.stderr, or a test's collector. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** First word of the line: "produce", "generate", … */
  label: string;
  /** What a row is called in the line ("rows", "events", "messages"). */
  unit?: string;
  /** Total input bytes (file size): the ETA follows bytes when known… */
  totalBytes?: number;
  /** …otherwise total rows, when known. */
  totalRows?: number;
  stream?: ProgressStream;
  /** Redraw period on a terminal; default 250 ms. */
  ttyIntervalMs?: number;
  /** Period of plain lines when stderr is not a terminal (logs, CI); default 10 s. */
  plainIntervalMs?: number;
  /** Clock in ms (tests pass their own). */
  now?: () => number;
}

/**
 * Progress of a long run on stderr: on a terminal one line redrawn in place (`\r`, clear to end
 * of line); otherwise a plain line every `plainIntervalMs`, which reads well in CI logs. `update`
 * is cheap (a clock read) so callers may call it per batch. Written here rather than taken from
 * npm: cli-progress (the most used) is built around a bar driven by one value/total, ships no
 * types, and in non-TTY mode reprints the bar; we need a line of counters — rows, rows/s, MB/s,
 * rejects, ETA from bytes read — which is this small class.
 */
export class ProgressReporter {
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly interval: number;
  private readonly now: () => number;
  private readonly start: number;
  private lastDraw: number;
  private drawn = false;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.tty = this.stream.isTTY === true;
    this.interval = this.tty ? (options.ttyIntervalMs ?? 250) : (options.plainIntervalMs ?? 10_000);
    this.now = options.now ?? (() => performance.now());
    this.start = this.now();
    this.lastDraw = this.start;
  }

  /** Seconds since the reporter was made. */
  elapsed(): number {
    return (this.now() - this.start) / 1000;
  }

  /** Shows `counts` if the last line is older than the interval. */
  update(counts: ProgressCounts): void {
    const t = this.now();
    if (t - this.lastDraw < this.interval) return;
    this.lastDraw = t;
    this.draw(this.line(counts));
  }

  /** Ends the progress display: on a terminal the line is cleared, so a summary can follow. */
  done(): void {
    if (this.tty && this.drawn) this.stream.write("\r\x1b[2K");
    this.drawn = false;
  }

  /** The progress text for `counts`, e.g. `produce 1.2M rows 512.3k rows/s 61.2 MB/s 3 rejected 45% ETA 12.3 s`. */
  line(counts: ProgressCounts): string {
    const seconds = Math.max(this.elapsed(), 1e-3);
    const unit = this.options.unit ?? "rows";
    const parts = [this.options.label, `${formatCount(counts.rows)} ${unit}`, formatRate(counts.rows / seconds, unit)];
    if (counts.bytes !== undefined) parts.push(formatRate(counts.bytes / seconds, "bytes"));
    if (counts.rejects) parts.push(`${formatCount(counts.rejects)} rejected`);
    const fraction = this.fraction(counts);
    if (fraction !== undefined) {
      parts.push(`${Math.floor(fraction * 100)}%`);
      if (fraction > 0) parts.push(`ETA ${formatDuration((seconds * (1 - fraction)) / fraction)}`);
    } else if (counts.bytes !== undefined) {
      parts.push(`${formatBytes(counts.bytes)} read`);
    }
    parts.push(`${formatDuration(seconds)} elapsed`);
    return parts.join("  ");
  }

  private fraction(counts: ProgressCounts): number | undefined {
    const { totalBytes, totalRows } = this.options;
    if (totalBytes && counts.bytes !== undefined) return Math.min(1, counts.bytes / totalBytes);
    if (totalRows) return Math.min(1, counts.rows / totalRows);
    return undefined;
  }

  private draw(text: string): void {
    if (this.tty) {
      const width = this.stream.columns ?? 120;
      this.stream.write(`\r\x1b[2K${text.length >= width ? text.slice(0, width - 1) : text}`);
      this.drawn = true;
    } else {
      this.stream.write(`${text}\n`);
    }
  }
}
