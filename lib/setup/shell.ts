import { mkdirSync, openSync, closeSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../paths.ts";
import { SetupError } from "./step.ts";

export interface ShellOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/**
 * Runs a command for a setup step with its output in .local/logs/setup-<step>.log, so a
 * quiet setup still leaves the whole story on disk; on failure the error quotes the log's tail.
 */
export async function sh(step: string, cmd: string[], opts: ShellOptions = {}): Promise<void> {
  const logs = join(paths.local, "logs");
  mkdirSync(logs, { recursive: true });
  const log = join(logs, `setup-${step.replace(/[^a-z0-9]+/gi, "-")}.log`);
  const fd = openSync(log, "a");
  try {
    const proc = Bun.spawn(cmd, {
      cwd: opts.cwd ?? paths.root,
      env: { ...process.env, ...opts.env },
      stdin: "ignore",
      stdout: fd,
      stderr: fd,
    });
    const code = await proc.exited;
    if (code !== 0) {
      const tail = readFileSync(log, "utf8").trimEnd().split("\n").slice(-15).join("\n    ");
      throw new SetupError(step, `\`${cmd.join(" ")}\` exited with ${code}:\n    ${tail}`, log);
    }
  } finally {
    closeSync(fd);
  }
}

/** True when `cmd` runs and exits 0 (used to detect tools already installed). */
export function succeeds(cmd: string[]): boolean {
  try {
    return Bun.spawnSync(cmd, { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
  } catch {
    return false;
  }
}

/** SHA-256 of files' contents, for step fingerprints. */
export function hashFiles(...files: string[]): string {
  const hasher = new Bun.CryptoHasher("sha256");
  for (const file of files) hasher.update(readFileSync(file));
  return hasher.digest("hex").slice(0, 16);
}
