import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import type { Rejection } from "../events/validate.ts";

const needsQuotes = /[",\r\n]/;
const csvField = (value: string) => (needsQuotes.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/**
 * The rejects file: one CSV row per refused input row — `line,field,reason,raw` — so a person
 * can read why, and fixed rows can be produced again. Created on the first rejection only (a
 * clean run leaves no file); a file from an earlier run is removed at start.
 */
export class RejectsFile {
  private fd: number | null = null;
  count = 0;

  constructor(readonly path: string) {
    rmSync(path, { force: true });
  }

  write(rejections: Rejection[]): void {
    if (rejections.length === 0) return;
    if (this.fd === null) {
      this.fd = openSync(this.path, "w");
      writeSync(this.fd, "line,field,reason,raw\n");
    }
    let text = "";
    for (const r of rejections) text += `${r.line},${csvField(r.field ?? "")},${csvField(r.reason)},${csvField(r.raw)}\n`;
    writeSync(this.fd, text);
    this.count += rejections.length;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
