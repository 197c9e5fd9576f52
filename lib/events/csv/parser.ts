/** A record the parser could not read (only an unclosed quote, or a record over the size limit). */
export interface CsvSyntaxError {
  /** Physical line (1-based) where the record starts. */
  line: number;
  reason: string;
  /** The record's first physical line, as text (truncated to 1,000 characters). */
  raw: string;
}

/** Records parsed from one piece of text, with where each starts. */
export interface CsvRecords {
  /** Fields of each record, in file order, unquoted; not trimmed. */
  fields: string[][];
  /** Physical line (1-based) where each record starts. */
  lines: number[];
  /** Each record's text as it stands in the file (without its line break). */
  raws: string[];
  errors: CsvSyntaxError[];
}

export interface CsvParserOptions {
  /**
   * A quoted field still open after this many characters is taken as an unbalanced quote:
   * the record is reported and parsing resumes on the next line, which keeps memory flat on a
   * broken file. Default 1 MiB.
   */
  maxRecordChars?: number;
  /** Physical line of the first text pushed (after a header read elsewhere). Default 1. */
  firstLine?: number;
}

/** The bytes CSV syntax is made of (also scanned for by the producer's fused transcoder). */
export const QUOTE = 34;
export const COMMA = 44;
export const CR = 13;
export const LF = 10;
/** How much of a rejected row's text is kept in the rejects file. */
const RAW_LIMIT = 1000;

/**
 * An incremental RFC 4180 parser: comma-separated, `"` quotes with `""` escapes, line breaks
 * inside quotes, CRLF or LF, and the physical line on which every record starts. Feed it text
 * with `push`, then call `end`.
 *
 * Written here because no library met the producer's needs, measured under Bun on a 1M-row,
 * 120 MB reference-shaped file on this 2-core machine: csv-parse 6.1 0.27M rows/s (0.21M with
 * `info`, the only library reporting line numbers and byte counts), csv-parser 0.41M,
 * @fast-csv/parse 0.13M, papaparse 5.5 0.84M streaming / 1.2–1.9M on whole chunks, uDSV 0.7
 * 2.6–3.6M — but papaparse and uDSV report neither physical line numbers nor byte offsets, and
 * uDSV requires line breaks inside quotes to match the row separator. This parser: fast path
 * `indexOf('\n')` + `split(',')` for lines without quotes (most of them), a small state machine
 * for the rest: 2.6–2.8M rows/s read + parsed on the same file (test/events/bench/events.bench.ts).
 *
 * Leniency, on purpose: a quote inside an unquoted field is literal (`ab"c`), characters after a
 * closing quote are kept (`"ab"c` → `abc`), and empty lines are skipped (but counted).
 */
export class CsvParser {
  private rest = "";
  /** Physical line where `rest` starts. */
  private line = 1;
  private readonly maxRecordChars: number;

  constructor(options: CsvParserOptions = {}) {
    this.maxRecordChars = options.maxRecordChars ?? 1 << 20;
    this.line = options.firstLine ?? 1;
  }

  /** Physical line where the next record starts. */
  get nextLine(): number {
    return this.line;
  }

  /** Moves the line count on, when lines were consumed elsewhere (only between records). */
  set nextLine(line: number) {
    if (this.pending) throw new Error("CsvParser: cannot move the line count inside a record");
    this.line = line;
  }

  /** True while a record is incomplete (e.g. a quoted field runs past the text pushed so far). */
  get pending(): boolean {
    return this.rest.length > 0 || this.skipToLineEnd;
  }

  private started = false;
  /** After an over-long quoted field: discard text up to the end of its first line. */
  private skipToLineEnd = false;

  /** Parses every complete record in `rest + text`; an incomplete tail waits for more text. */
  push(text: string): CsvRecords {
    if (!this.started && text.length > 0) {
      this.started = true;
      // A byte order mark at the very start of a file (TextDecoder drops it already, but text may
      // come from elsewhere); after a header read elsewhere, U+FEFF would be data.
      if (this.line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return this.parse(this.rest.length > 0 ? this.rest + text : text, false);
  }

  /** Parses what is left: a last record without a line break, or an unclosed quote. */
  end(): CsvRecords {
    const text = this.rest;
    this.rest = "";
    return this.parse(text, true);
  }

  private parse(text: string, final: boolean): CsvRecords {
    const out: CsvRecords = { fields: [], lines: [], raws: [], errors: [] };
    const fieldsOut = out.fields;
    const linesOut = out.lines;
    const rawsOut = out.raws;
    const len = text.length;
    let line = this.line;
    let pos = 0;
    if (this.skipToLineEnd) {
      const nl = text.indexOf("\n");
      if (nl < 0) {
        this.rest = "";
        return out;
      }
      this.skipToLineEnd = false;
      line++;
      pos = nl + 1;
    }
    let nextQuote = text.indexOf('"');
    if (nextQuote < 0) nextQuote = len;

    while (pos < len) {
      let nl = text.indexOf("\n", pos);
      if (nextQuote < pos) {
        nextQuote = text.indexOf('"', pos);
        if (nextQuote < 0) nextQuote = len;
      }
      if (nextQuote >= (nl < 0 ? len : nl)) {
        // Fast path: no quote before the end of this line.
        if (nl < 0) {
          if (!final) break;
          nl = len;
        }
        const end = nl > pos && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        if (end > pos) {
          const raw = text.slice(pos, end);
          fieldsOut.push(raw.split(","));
          linesOut.push(line);
          rawsOut.push(raw);
        }
        line++;
        pos = nl + 1;
        continue;
      }
      // Slow path: the record has a quote somewhere.
      const result = this.parseQuoted(text, pos, final);
      if (result === undefined) break; // needs more text
      if (result.fields === undefined) {
        // Unclosed quote: report the record's first line and resume on the next one.
        const lineEnd = nl < 0 ? len : nl;
        const raw = text.slice(pos, lineEnd > pos && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd);
        out.errors.push({ line, reason: result.reason, raw: truncate(raw) });
        if (nl < 0 && !final) {
          // The rest of that first line has not arrived yet: drop it when it does.
          this.skipToLineEnd = true;
          pos = len;
          break;
        }
        line++;
        pos = nl < 0 ? len : nl + 1;
        continue;
      }
      fieldsOut.push(result.fields);
      linesOut.push(line);
      rawsOut.push(text.slice(pos, result.rawEnd));
      line += result.lineBreaks + 1;
      pos = result.next;
    }

    this.rest = pos < len ? text.slice(pos) : "";
    this.line = line;
    return out;
  }

  /**
   * Parses one record starting at `start` that contains a quote. Returns undefined when the text
   * ends first (more may come), `{ fields: undefined, reason }` for an unclosed quote.
   */
  private parseQuoted(
    text: string,
    start: number,
    final: boolean,
  ): { fields: string[]; next: number; rawEnd: number; lineBreaks: number } | { fields: undefined; reason: string } | undefined {
    const len = text.length;
    const fields: string[] = [];
    let lineBreaks = 0;
    let i = start;
    for (;;) {
      let value = "";
      if (text.charCodeAt(i) === QUOTE) {
        // Quoted field: runs to the next quote not doubled.
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0 || (q + 1 >= len && !final)) {
            if (len - start > this.maxRecordChars) {
              return { fields: undefined, reason: `unbalanced quote: a quoted field is still open after ${this.maxRecordChars} characters` };
            }
            if (!final) return undefined;
            return { fields: undefined, reason: "unbalanced quote: a quoted field is never closed" };
          }
          const piece = text.slice(j, q);
          lineBreaks += countLineBreaks(piece);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += piece + '"';
            j = q + 2;
            continue;
          }
          value += piece;
          i = q + 1;
          break;
        }
      }
      // Unquoted field, or what follows a closing quote, up to the next comma or line break.
      let stop = i;
      while (stop < len) {
        const c = text.charCodeAt(stop);
        if (c === COMMA || c === LF) break;
        stop++;
      }
      if (stop >= len && !final) return undefined;
      let valueEnd = stop;
      if (stop < len && text.charCodeAt(stop) === LF && valueEnd > i && text.charCodeAt(valueEnd - 1) === CR) valueEnd--;
      if (stop >= len && valueEnd > i && text.charCodeAt(valueEnd - 1) === CR) valueEnd--;
      value += text.slice(i, valueEnd);
      fields.push(value);
      if (stop < len && text.charCodeAt(stop) === COMMA) {
        i = stop + 1;
        continue;
      }
      return { fields, next: stop + 1, rawEnd: valueEnd, lineBreaks };
    }
  }
}

/** Line breaks inside a quoted value move the physical line on (CRLF counts once). */
function countLineBreaks(s: string): number {
  let n = 0;
  let at = s.indexOf("\n");
  while (at >= 0) {
    n++;
    at = s.indexOf("\n", at + 1);
  }
  return n;
}

/** A rejected row's text as the rejects file keeps it: at most RAW_LIMIT characters. */
export function truncate(s: string): string {
  return s.length > RAW_LIMIT ? s.slice(0, RAW_LIMIT) + "…" : s;
}
