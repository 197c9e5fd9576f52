import { BatchWriter, FIXED_MESSAGE_BYTES, type EncodedBatch } from "./avro/batch-writer.ts";
import { writeEvent } from "./avro/encoder.ts";
import { checkSchemaId } from "./avro/wire.ts";
import type { ColumnIndex } from "./csv/header.ts";
import { COMMA, CR, CsvParser, LF, QUOTE, truncate } from "./csv/parser.ts";
import type { CsvSource } from "./csv/reader.ts";
import { daysOf, digits, fastPrice, knownTypeBytes } from "./byte-fields.ts";
import { MAX_EVENT_TIME, MIN_EVENT_TIME } from "./timestamp.ts";
import { RowProblem, validateRow, type Rejection } from "./validate.ts";

/**
 * One block of CSV turned into Kafka-ready messages: the encoded batch, the physical line of
 * each message (to report a failed delivery by line), and the rows refused;
 * `count + rejections.length === records`. Problem: `values`, `keys`, their offsets and `lines`
 * are views of buffers the transcoder reuses for the next block. Solution: hand the batch to
 * librdkafka (which copies with RD_KAFKA_MSG_F_COPY) and copy what delivery reports will need
 * (e.g. `lines.slice()`) before pulling the next batch; copy before posting to another thread.
 */
export interface TranscodedBatch extends EncodedBatch {
  lines: Int32Array;
  rejections: Rejection[];
  records: number;
  /** File bytes read so far (compressed bytes for .gz), for the ETA. */
  bytesRead: number;
}

/**
 * CSV bytes → validated, Confluent-framed Avro in one pass, without making JS strings or event
 * objects for ordinary rows: field bytes are copied from the file straight into Avro strings
 * (both UTF-8), the timestamp and price are parsed from bytes. It is the producer's hot path.
 *
 * It only ever *accepts* on the fast path: a row it is not sure about — any quote in the block,
 * a non-ASCII byte, a space to trim, another timestamp format, an exponent in the price, a
 * wrong column count, anything invalid — goes through the general path (CsvParser →
 * validateRow → writeEvent), which decides and words the rejection. So results are the same as
 * `validateRecords` + `EcomEventEncoder` (test/events/transcode.test.ts checks that on
 * generated and malformed input), just faster. Measured under Bun on this shared 2-core machine
 * (test/events/bench/events.bench.ts): 2.3–2.6M rows/s from file to framed Avro + keys with a
 * flat 56 MB peak RSS at 1M and 10M rows, vs 1.0–1.1M rows/s and ~190–220 MB for the general
 * path. A block that contains any quote goes the general way as a whole (multi-line records).
 */
export class CsvTranscoder {
  private readonly writer = new BatchWriter(1 << 21);
  private readonly parser: CsvParser;
  // ignoreBOM: blocks are decoded one by one; U+FEFF inside the data is data.
  private readonly decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  private readonly width: number;
  private readonly positions: Int32Array;
  private readonly starts = new Int32Array(64);
  private readonly ends = new Int32Array(64);
  private lines = new Int32Array(16_384);
  private rejections: Rejection[] = [];
  private records = 0;
  private line: number;
  // Day cache: most rows share their date with the previous one.
  private lastDateKey = -1;
  private lastDays = 0;

  constructor(
    private readonly columns: ColumnIndex,
    readonly schemaId: number,
    options: { firstLine?: number; maxRecordChars?: number } = {},
  ) {
    checkSchemaId(schemaId);
    this.width = columns.width;
    this.positions = Int32Array.from(columns.positions);
    this.line = options.firstLine ?? 2;
    this.parser = new CsvParser({ firstLine: this.line, maxRecordChars: options.maxRecordChars });
  }

  /** Transcodes a block of whole lines (the last block may lack its final line break). */
  transcode(block: Uint8Array, bytesRead = 0): TranscodedBatch {
    this.begin();
    if (this.parser.pending || block.indexOf(QUOTE) >= 0) this.general(this.decoder.decode(block));
    else this.fast(block);
    return this.result(bytesRead);
  }

  /** Flushes what the general path still holds at end of file (a last record, an open quote). */
  finish(bytesRead = 0): TranscodedBatch {
    this.begin();
    if (this.parser.pending) this.generalRecords(this.parser.end());
    return this.result(bytesRead);
  }

  private begin(): void {
    this.writer.reset();
    this.rejections = [];
    this.records = 0;
  }

  private result(bytesRead: number): TranscodedBatch {
    const encoded = this.writer.result();
    return {
      ...encoded,
      lines: this.lines.subarray(0, encoded.count),
      rejections: this.rejections,
      records: this.records,
      bytesRead,
    };
  }

  private pushLine(line: number): void {
    const i = this.writer.count - 1;
    if (i >= this.lines.length) {
      const bigger = new Int32Array(this.lines.length * 2);
      bigger.set(this.lines);
      this.lines = bigger;
    }
    this.lines[i] = line;
  }

  /** The general path over text: the same code as openCsv().batches() + validateRecords. */
  private general(text: string): void {
    if (!this.parser.pending) this.parser.nextLine = this.line;
    this.generalRecords(this.parser.push(text));
  }

  private generalRecords(records: ReturnType<CsvParser["push"]>): void {
    const { fields, lines, raws, errors } = records;
    for (const e of errors) this.rejections.push({ line: e.line, field: null, reason: e.reason, raw: e.raw });
    for (let i = 0; i < fields.length; i++) this.row(fields[i] as string[], lines[i] as number, raws[i] as string);
    this.records += fields.length + errors.length;
    if (errors.length > 0) this.rejections.sort((a, b) => a.line - b.line);
    this.line = this.parser.nextLine;
  }

  /** Validates and writes one row of fields, or records its rejection. */
  private row(fields: string[], line: number, raw: string): void {
    const result = validateRow(fields, this.columns);
    if (result instanceof RowProblem) {
      this.rejections.push({ line, field: result.field, reason: result.reason, raw: truncate(raw) });
      return;
    }
    writeEvent(this.writer, result, this.schemaId);
    this.pushLine(line);
  }

  /** The fast path over bytes: a block without any quote, so every line is one record. */
  private fast(b: Uint8Array): void {
    const n = b.length;
    const starts = this.starts;
    const ends = this.ends;
    const maxFields = starts.length;
    let line = this.line;
    let pos = 0;
    while (pos < n) {
      // One pass over the line: field bounds, line end, and whether any byte is non-ASCII.
      let k = 0;
      let high = 0;
      let i = pos;
      starts[0] = pos;
      for (; i < n; i++) {
        const c = b[i] as number;
        if (c === LF) break;
        if (c === COMMA) {
          if (k + 1 < maxFields) {
            ends[k] = i;
            starts[k + 1] = i + 1;
          }
          k++;
        }
        high |= c;
      }
      const next = i + 1;
      let end = i;
      if (end > pos && b[end - 1] === CR) end--;
      if (end > pos) {
        this.records++;
        if (k + 1 < maxFields) ends[k] = end;
        if (k + 1 !== this.width || high >= 0x80 || !this.fastRow(b, pos, end, line)) this.slowLine(b, pos, end, line);
      }
      line++;
      pos = next;
    }
    this.line = line;
  }

  /** A line the fast path would not accept: decoded and judged by the general rules. */
  private slowLine(b: Uint8Array, start: number, end: number, line: number): void {
    const raw = this.decoder.decode(b.subarray(start, end));
    this.row(raw.split(","), line, raw);
  }

  /** Validates and writes one plain ASCII row from bytes; false (nothing written) when unsure. */
  private fastRow(b: Uint8Array, lineStart: number, lineEnd: number, line: number): boolean {
    const p = this.positions;
    const starts = this.starts;
    const ends = this.ends;
    // Any field with a leading or trailing space/control byte needs trimming: general path.
    for (let f = 0; f < this.width; f++) {
      const s = starts[f] as number;
      const e = ends[f] as number;
      if (e > s && ((b[s] as number) <= 32 || (b[e - 1] as number) <= 32)) return false;
    }
    const ts = starts[p[0] as number] as number;
    if ((ends[p[0] as number] as number) - ts !== 23) return false;
    const micros = this.fastTime(b, ts);
    if (!(micros >= MIN_EVENT_TIME && micros < MAX_EVENT_TIME)) return false;

    const tyS = starts[p[1] as number] as number;
    const tyLen = (ends[p[1] as number] as number) - tyS;
    if (!knownTypeBytes(b, tyS, tyLen)) return false;

    const pidS = starts[p[2] as number] as number;
    const pidE = ends[p[2] as number] as number;
    const uidS = starts[p[7] as number] as number;
    const uidE = ends[p[7] as number] as number;
    if (pidE === pidS || uidE === uidS) return false;

    const prS = starts[p[6] as number] as number;
    const prE = ends[p[6] as number] as number;
    let price = -1; // -1: null
    if (prE > prS) {
      price = fastPrice(b, prS, prE);
      if (Number.isNaN(price)) return false;
    }

    const w = this.writer;
    w.begin(FIXED_MESSAGE_BYTES + (lineEnd - lineStart), uidE - uidS, this.schemaId);
    w.long(micros);
    w.bytes(b, tyS, tyS + tyLen);
    w.bytes(b, pidS, pidE);
    this.optionalBytes(b, p[3] as number);
    this.optionalBytes(b, p[4] as number);
    this.optionalBytes(b, p[5] as number);
    if (price < 0) w.branch(0);
    else {
      w.branch(1);
      w.double(price);
    }
    w.bytes(b, uidS, uidE);
    this.optionalBytes(b, p[8] as number);
    w.keyBytes(b, uidS, uidE);
    w.end();
    this.pushLine(line);
    return true;
  }

  private optionalBytes(b: Uint8Array, field: number): void {
    const s = this.starts[field] as number;
    const e = this.ends[field] as number;
    if (e === s) this.writer.branch(0);
    else {
      this.writer.branch(1);
      this.writer.bytes(b, s, e);
    }
  }

  /** `YYYY-MM-DD HH:MM:SS UTC` at `s` → micros, or NaN (then the general path decides). */
  private fastTime(b: Uint8Array, s: number): number {
    if (b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 10] !== 32 || b[s + 13] !== 58 || b[s + 16] !== 58) return NaN;
    if (b[s + 19] !== 32 || b[s + 20] !== 85 || b[s + 21] !== 84 || b[s + 22] !== 67) return NaN; // " UTC"
    const y = digits(b, s, 4);
    const mo = digits(b, s + 5, 2);
    const d = digits(b, s + 8, 2);
    const h = digits(b, s + 11, 2);
    const mi = digits(b, s + 14, 2);
    const sec = digits(b, s + 17, 2);
    if (!(h < 24 && mi < 60 && sec < 60)) return NaN;
    const key = y * 10_000 + mo * 100 + d;
    if (key !== this.lastDateKey) {
      const days = daysOf(y, mo, d);
      if (Number.isNaN(days)) return NaN;
      this.lastDateKey = key;
      this.lastDays = days;
    }
    return (this.lastDays * 86_400 + h * 3600 + mi * 60 + sec) * 1_000_000;
  }
}

/**
 * Transcodes a whole CSV source, block by block: the producer's read → validate → encode loop.
 * Each yielded batch's buffers are reused by the next one, so hand it to Kafka (which copies)
 * before pulling the next.
 */
export async function* transcodeCsv(source: CsvSource, schemaId: number): AsyncGenerator<TranscodedBatch> {
  const transcoder = new CsvTranscoder(source.columns, schemaId, { firstLine: source.firstLine, maxRecordChars: source.maxRecordChars });
  let bytesRead = 0;
  for await (const block of source.blocks()) {
    bytesRead = block.bytesRead;
    yield transcoder.transcode(block.bytes, bytesRead);
  }
  const last = transcoder.finish(bytesRead);
  if (last.records > 0) yield last;
}
