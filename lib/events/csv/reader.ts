import { open, stat } from "node:fs/promises";
import { byteChunks, lineBlocks, type ReadProgress } from "./blocks.ts";
import { CsvHeaderError, indexColumns, type ColumnIndex } from "./header.ts";
import { CsvParser, type CsvRecords } from "./parser.ts";

/** Records of one block, plus how far into the file (as stored: compressed for .gz) we are. */
export interface CsvBatch extends CsvRecords {
  bytesRead: number;
}

/** Whole lines of the file after the header, as bytes (a view valid until the next block). */
export interface CsvBlock {
  bytes: Uint8Array;
  bytesRead: number;
}

export interface CsvReadOptions {
  /** Bytes per read; a batch holds the records of about this much text (~8,700 rows per MiB). */
  chunkBytes?: number;
  /** See CsvParserOptions.maxRecordChars. */
  maxRecordChars?: number;
}

/** An open CSV file whose header was read and checked. */
export interface CsvSource {
  readonly path: string;
  /** Size on disk; with `bytesRead`, the ETA. */
  readonly totalBytes: number;
  readonly gzip: boolean;
  readonly columns: ColumnIndex;
  /** Physical line of the first record after the header. */
  readonly firstLine: number;
  readonly maxRecordChars: number | undefined;
  /** The records after the header, parsed, in batches. Iterate `batches` or `blocks`, once. */
  batches(): AsyncGenerator<CsvBatch>;
  /** The lines after the header as raw bytes — the transcoder's input. */
  blocks(): AsyncGenerator<CsvBlock>;
  /** Closes the file; needed only when not reading to the end (reading to the end closes it). */
  close(): Promise<void>;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const LF = 10;

/**
 * Opens a CSV file — plain or gzip, told apart by magic bytes, so `.csv.gz` and misnamed files
 * both work — and reads and checks its header before returning, so a wrong file fails at once,
 * before a producer connects anywhere. The header is the first non-empty line (it may be quoted,
 * but not span lines). Memory stays flat whatever the file size: one block of bytes and one
 * batch of records at a time. A UTF-8 BOM is dropped; invalid UTF-8 becomes U+FFFD.
 */
export async function openCsv(path: string, options: CsvReadOptions = {}): Promise<CsvSource> {
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const totalBytes = (await stat(path)).size;
  const gzip = await hasGzipMagic(path);
  const progress: ReadProgress = { bytes: 0 };
  const blocks = lineBlocks(byteChunks(path, gzip, chunkBytes, progress), chunkBytes);

  // Find the header line: skip empty lines, keep the rest of its block for the first batch.
  let line = 1;
  let header: string[] | undefined;
  let rest: Uint8Array | undefined;
  while (header === undefined) {
    const next = await blocks.next();
    if (next.done) {
      await blocks.return(undefined);
      throw new CsvHeaderError(path, totalBytes === 0 ? "the file is empty" : "the file has no header line");
    }
    const bytes = next.value;
    let start = 0;
    while (start < bytes.length) {
      let end = bytes.indexOf(LF, start);
      if (end < 0) end = bytes.length;
      const text = new TextDecoder().decode(bytes.subarray(start, end)).replace(/\r$/, "");
      if (text.length === 0) {
        line++;
        start = end + 1;
        continue;
      }
      try {
        header = parseHeaderLine(path, text, line);
      } catch (e) {
        await blocks.return(undefined);
        throw e;
      }
      // Copy: the block's buffer is reused once we pull the next block.
      rest = bytes.slice(Math.min(end + 1, bytes.length));
      line++;
      break;
    }
  }
  let columns: ColumnIndex;
  try {
    columns = indexColumns(path, header);
  } catch (e) {
    await blocks.return(undefined);
    throw e;
  }
  const firstLine = line;
  let taken = false;
  const take = () => {
    if (taken) throw new Error(`${path}: batches() or blocks() was already called; a CsvSource is read once`);
    taken = true;
  };

  async function* rawBlocks(): AsyncGenerator<CsvBlock> {
    take();
    if (rest !== undefined && rest.length > 0) yield { bytes: rest, bytesRead: progress.bytes };
    for await (const bytes of blocks) yield { bytes, bytesRead: progress.bytes };
  }

  async function* batches(): AsyncGenerator<CsvBatch> {
    const parser = new CsvParser({ maxRecordChars: options.maxRecordChars, firstLine });
    // ignoreBOM: each block is decoded on its own; only the header's BOM is a BOM.
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    for await (const block of rawBlocks()) {
      const records = parser.push(decoder.decode(block.bytes));
      if (records.fields.length > 0 || records.errors.length > 0) yield { ...records, bytesRead: block.bytesRead };
    }
    const last = parser.end();
    if (last.fields.length > 0 || last.errors.length > 0) yield { ...last, bytesRead: progress.bytes };
  }

  return {
    path,
    totalBytes,
    gzip,
    columns,
    firstLine,
    maxRecordChars: options.maxRecordChars,
    batches,
    blocks: rawBlocks,
    close: async () => {
      await blocks.return(undefined);
    },
  };
}

function parseHeaderLine(path: string, text: string, line: number): string[] {
  const parser = new CsvParser();
  const records = parser.push(text + "\n");
  const ended = parser.end();
  const error = records.errors[0] ?? ended.errors[0];
  const fields = records.fields[0] ?? ended.fields[0];
  if (error !== undefined || fields === undefined || records.fields.length + ended.fields.length !== 1) {
    throw new CsvHeaderError(path, `cannot read the header on line ${line}${error ? ` (${error.reason})` : ""}`);
  }
  return fields;
}

async function hasGzipMagic(path: string): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await fh.close();
  }
}
