import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The reference dataset: "eCommerce events history in electronics store" by Michael Kechinov. */
export const KAGGLE_DATASET = "mkechinov/ecommerce-events-history-in-electronics-store";
export const KAGGLE_API = "https://www.kaggle.com/api/v1";

const ALTERNATIVE = "`just generate` writes a synthetic file with the same shape instead";

/** Why the dataset could not be fetched, worded for the person running `just download`. */
export class KaggleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`${message}. ${ALTERNATIVE}.`, options);
    this.name = "KaggleError";
  }
}

export interface KaggleCredentials {
  username: string;
  key: string;
  /** Where they came from, for messages (never the key itself). */
  source: string;
}

/**
 * Finds Kaggle API credentials the way the official `kaggle` CLI does: KAGGLE_USERNAME and
 * KAGGLE_KEY, else `kaggle.json` in KAGGLE_CONFIG_DIR or ~/.kaggle. Undefined when there are
 * none; throws KaggleError for a file that exists but is unreadable or incomplete.
 */
export function findKaggleCredentials(env: NodeJS.ProcessEnv = process.env, home = homedir()): KaggleCredentials | undefined {
  if (env.KAGGLE_USERNAME && env.KAGGLE_KEY) {
    return { username: env.KAGGLE_USERNAME, key: env.KAGGLE_KEY, source: "KAGGLE_USERNAME/KAGGLE_KEY" };
  }
  const file = join(env.KAGGLE_CONFIG_DIR || join(home, ".kaggle"), "kaggle.json");
  if (!existsSync(file)) return undefined;
  let parsed: { username?: unknown; key?: unknown };
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new KaggleError(`${file} is not valid JSON (${(e as Error).message}); download a new token from Kaggle → Settings → API`, { cause: e });
  }
  if (typeof parsed.username !== "string" || typeof parsed.key !== "string" || !parsed.username || !parsed.key) {
    throw new KaggleError(`${file} must hold {"username": …, "key": …}; download a new token from Kaggle → Settings → API`);
  }
  return { username: parsed.username, key: parsed.key, source: file };
}

/** The message for "no credentials at all". */
export function missingCredentialsMessage(home = homedir()): string {
  return (
    `no Kaggle credentials: put your API token in ${join(home, ".kaggle", "kaggle.json")} (Kaggle → Settings → API → Create New Token) ` +
    `or set KAGGLE_USERNAME and KAGGLE_KEY. ${ALTERNATIVE}.`
  );
}

export interface DownloadOptions {
  credentials: KaggleCredentials;
  outDir: string;
  dataset?: string;
  apiBase?: string;
  /** How long to wait for Kaggle to answer (not for the whole download). Default 15 s. */
  timeoutMs?: number;
  /** Replace files that already exist in outDir. */
  force?: boolean;
  onProgress?: (bytes: number, total: number | undefined) => void;
}

/**
 * Downloads a Kaggle dataset archive and extracts it into `outDir`; returns the paths written.
 * Fails fast with a KaggleError that says what is wrong (no network, refused credentials,
 * unknown dataset) rather than hanging: the answer must start within `timeoutMs`. Extraction
 * uses `unzip`, or Python's zipfile module when `unzip` is not installed.
 */
export async function downloadDataset(options: DownloadOptions): Promise<string[]> {
  const dataset = options.dataset ?? KAGGLE_DATASET;
  const url = `${options.apiBase ?? KAGGLE_API}/datasets/download/${dataset}`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const { username, key, source } = options.credentials;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from(`${username}:${key}`).toString("base64")}` },
      signal: controller.signal,
      redirect: "follow",
    });
  } catch (e) {
    throw new KaggleError(`cannot reach ${new URL(url).host} (${(e as Error).message})`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 401 || response.status === 403) {
    throw new KaggleError(`Kaggle refused the credentials from ${source} (HTTP ${response.status}); check the username and key, and accept the dataset's terms on its page`);
  }
  if (response.status === 404) throw new KaggleError(`Kaggle has no dataset ${dataset} (HTTP 404)`);
  if (!response.ok || response.body === null) throw new KaggleError(`Kaggle answered HTTP ${response.status} for ${url}`);

  mkdirSync(options.outDir, { recursive: true });
  const work = join(options.outDir, `.download-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  try {
    const archive = join(work, "archive.zip");
    const total = Number(response.headers.get("content-length")) || undefined;
    const writer = Bun.file(archive).writer();
    let bytes = 0;
    for await (const chunk of response.body) {
      writer.write(chunk);
      bytes += chunk.length;
      options.onProgress?.(bytes, total);
    }
    await writer.end();
    const extracted = join(work, "files");
    extractZip(archive, extracted);
    const written: string[] = [];
    for (const name of readdirSync(extracted)) {
      const target = join(options.outDir, name);
      if (existsSync(target) && !options.force) {
        throw new Error(`${target} already exists (pass --force to replace it)`);
      }
      renameSync(join(extracted, name), target);
      written.push(target);
    }
    if (written.length === 0) throw new Error("the archive is empty");
    return written;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function extractZip(archive: string, into: string): void {
  mkdirSync(into, { recursive: true });
  const attempts: [string, string[]][] = [
    ["unzip", ["-q", "-o", archive, "-d", into]],
    ["python3", ["-m", "zipfile", "-e", archive, into]],
  ];
  const failures: string[] = [];
  for (const [command, args] of attempts) {
    const run = spawnSync(command, args, { encoding: "utf8" });
    if (run.error) {
      failures.push(`${command}: ${run.error.message}`);
      continue;
    }
    if (run.status === 0 && statSync(into).isDirectory()) return;
    failures.push(`${command} exited ${run.status}: ${run.stderr.trim()}`);
  }
  throw new Error(`cannot extract ${archive} (${failures.join("; ")})`);
}
