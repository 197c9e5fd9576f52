/**
 * The summary lines our CLIs print on stderr, read back so the benchmark can check what a run
 * did (every row delivered and landed) and quote each tool's own rate as a cross-check.
 */

/** `produce: N read, N delivered, N rejected, N failed → topic in 2.2 s (402.0k events/s, …)`. */
export interface ProduceLine {
  read: number;
  delivered: number;
  rejected: number;
  failed: number;
  /** The producer's own rate (rows read ÷ its own clock), as printed (3–4 significant digits). */
  eventsPerSec: number;
}

/** `consume: N read, N landed in local, N dead letters → dlq, 6.1 s (145,705 events/s), stopped: caught-up`. */
export interface ConsumeLine {
  read: number;
  landed: number;
  deadLetters: number;
  seconds: number;
  /** The consumer's own rate (consumed ÷ its own clock, group join included). */
  eventsPerSec: number;
  stoppedBy: string;
}

/** dbt's closing lines: `Finished running … (19.75s).` and `Done. PASS=44 WARN=0 ERROR=0 SKIP=0 …`. */
export interface DbtLine {
  /** dbt's own elapsed time, after its start-up and project parsing. */
  seconds: number;
  pass: number;
  warn: number;
  error: number;
  skip: number;
}

/** A CLI's output lacked the summary line the benchmark reads; carries the output's tail. */
export class SummaryLineError extends Error {
  constructor(
    readonly tool: string,
    readonly expected: string,
    readonly output: string,
  ) {
    super(`${tool}: no ${expected} line in its output:\n    ${output.trimEnd().split("\n").slice(-10).join("\n    ")}`);
    this.name = "SummaryLineError";
  }
}

const int = (text: string) => Number(text.replace(/,/g, ""));
const SCALE: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9 };
// Colour codes dbt writes even into pipes.
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

const PRODUCE = /^produce: ([\d,]+) read, ([\d,]+) delivered, ([\d,]+) rejected, ([\d,]+) failed .* \(([\d.]+)([kMG]?) events\/s/m;
const CONSUME = /^consume: ([\d,]+) read, ([\d,]+) landed in \S+, ([\d,]+) dead letters.*, ([\d.]+) s \(([\d,]+) events\/s\), stopped: (\S+)/m;
const DBT_FINISHED = /Finished running .*\(([\d.]+)s\)/;
const DBT_DONE = /Done\. PASS=(\d+) WARN=(\d+) ERROR=(\d+) SKIP=(\d+)/;

/** Reads scripts/produce.ts's summary line from its stderr. */
export function parseProduceLine(output: string): ProduceLine {
  const m = PRODUCE.exec(output);
  if (!m) throw new SummaryLineError("produce", "`produce: … events/s` summary", output);
  return { read: int(m[1]!), delivered: int(m[2]!), rejected: int(m[3]!), failed: int(m[4]!), eventsPerSec: Number(m[5]) * SCALE[m[6]!]! };
}

/** Reads scripts/consume.ts's summary line from its stderr. */
export function parseConsumeLine(output: string): ConsumeLine {
  const m = CONSUME.exec(output);
  if (!m) throw new SummaryLineError("consume", "`consume: … events/s), stopped: …` summary", output);
  return { read: int(m[1]!), landed: int(m[2]!), deadLetters: int(m[3]!), seconds: Number(m[4]), eventsPerSec: int(m[5]!), stoppedBy: m[6]! };
}

/** Reads dbt's own elapsed time and result counts from its output. */
export function parseDbtLine(output: string): DbtLine {
  const text = stripAnsi(output);
  const finished = DBT_FINISHED.exec(text);
  const done = DBT_DONE.exec(text);
  if (!finished || !done) throw new SummaryLineError("dbt", "`Finished running … (Ns)` and `Done. PASS=…`", text);
  return { seconds: Number(finished[1]), pass: Number(done[1]), warn: Number(done[2]), error: Number(done[3]), skip: Number(done[4]) };
}
