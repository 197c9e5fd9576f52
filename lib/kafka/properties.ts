import { readFileSync } from "node:fs";

/** One `key=value` from a properties file, with where it came from (for error messages). */
export interface Property {
  value: string;
  source: string;
}

/** A malformed properties file; the message reads `path:line: problem` like a compiler's. */
export class PropertiesError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = "PropertiesError";
  }
}

const ESCAPES: Record<string, string> = { t: "\t", n: "\n", r: "\r", f: "\f" };

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, esc: string) =>
    esc.length === 5 ? String.fromCharCode(parseInt(esc.slice(1), 16)) : (ESCAPES[esc] ?? esc),
  );
}

/**
 * Parses Java-style .properties text — the format of the `client.properties` Confluent Cloud
 * hands out: `#`/`!` comments, `key=value`, `key: value` or `key value`, surrounding spaces,
 * backslash line continuations and escapes. Later keys win, as in Java.
 */
export function parseProperties(text: string, file = "<properties>"): Map<string, Property> {
  const result = new Map<string, Property>();
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!.replace(/^\s+/, "");
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    // A line ending in an odd number of backslashes continues on the next line.
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.replace(/^\s+/, "");
    }
    const match = /^((?:\\.|[^=:\s\\])+)\s*(?:[=:]\s*|\s+|$)(.*)$/.exec(line);
    if (!match) throw new PropertiesError(file, lineNo, `cannot parse "${line}" (expected key=value)`);
    const key = unescape(match[1]!);
    result.set(key, { value: unescape(match[2]!.replace(/\s+$/, "")), source: `${file}:${lineNo}` });
  }
  return result;
}

/** Reads and parses a properties file; a missing file is an error naming the path. */
export function readPropertiesFile(file: string): Map<string, Property> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new PropertiesError(file, 0, `cannot read config file: ${(error as Error).message}`);
  }
  return parseProperties(text, file);
}
