import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";

/** How many bytes of the file (as stored: compressed for .gz) have been read so far. */
export interface ReadProgress {
  bytes: number;
}

const LF = 10;

/**
 * Raw bytes of a file in pieces of about `chunkBytes`, gunzipped when `gzip` (multi-member
 * too). Problem: for plain files the yielded piece is a reused buffer. Solution: the only
 * consumer, `lineBlocks`, copies it before asking for the next one.
 */
export async function* byteChunks(path: string, gzip: boolean, chunkBytes: number, progress: ReadProgress): AsyncGenerator<Uint8Array> {
  if (gzip) {
    const raw = createReadStream(path, { highWaterMark: chunkBytes });
    raw.on("data", (c) => {
      progress.bytes += c.length;
    });
    const gunzip = createGunzip({ chunkSize: Math.max(64, chunkBytes) }); // zlib refuses < 64
    raw.on("error", (e) => gunzip.destroy(e));
    raw.pipe(gunzip);
    try {
      for await (const chunk of gunzip) yield chunk as Uint8Array;
    } catch (e) {
      throw new Error(`${path}: cannot gunzip (${(e as Error).message})`, { cause: e });
    } finally {
      raw.destroy();
      gunzip.destroy();
    }
    return;
  }
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(chunkBytes);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, chunkBytes, null);
      if (bytesRead === 0) return;
      progress.bytes += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/**
 * Regroups byte chunks into blocks of whole lines: each block ends just after a `\n` (the last
 * one may end at end of file without one). Cutting at `\n` never splits a UTF-8 character, so a
 * block decodes on its own. Problem: a block is a view of a reused buffer. Solution: consume it
 * (decode, transcode) before pulling the next one. A line longer than a chunk grows the buffer.
 */
export async function* lineBlocks(chunks: AsyncIterable<Uint8Array>, chunkBytes: number): AsyncGenerator<Uint8Array> {
  let buf = new Uint8Array(chunkBytes * 2);
  let carry = 0;
  for await (const chunk of chunks) {
    if (carry + chunk.length > buf.length) {
      const bigger = new Uint8Array(Math.max(buf.length * 2, carry + chunk.length));
      bigger.set(buf.subarray(0, carry));
      buf = bigger;
    }
    buf.set(chunk, carry);
    const len = carry + chunk.length;
    const lastLf = buf.lastIndexOf(LF, len - 1);
    if (lastLf < 0) {
      carry = len;
      continue;
    }
    yield buf.subarray(0, lastLf + 1);
    buf.copyWithin(0, lastLf + 1, len);
    carry = len - lastLf - 1;
  }
  if (carry > 0) yield buf.subarray(0, carry);
}
