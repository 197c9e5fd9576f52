import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** A background process the stack started, remembered in a pid file. */
export interface ManagedProcess {
  pid: number;
  pidFile: string;
}

/**
 * Starts `cmd` detached (its own session, so Ctrl-C in the terminal that ran `just up` does not
 * reach it), output appended to `logFile`, pid written to `pidFile`.
 */
export function startDetached(cmd: string[], opts: { pidFile: string; logFile: string; env?: Record<string, string>; cwd?: string }): ManagedProcess {
  mkdirSync(dirname(opts.pidFile), { recursive: true });
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const log = openSync(opts.logFile, "a");
  try {
    const child = spawn(cmd[0]!, cmd.slice(1), {
      detached: true,
      stdio: ["ignore", log, log],
      env: { ...process.env, ...opts.env },
      cwd: opts.cwd,
    });
    if (!child.pid) throw new Error(`cannot start ${cmd[0]}`);
    child.unref();
    writeFileSync(opts.pidFile, `${child.pid}\n`);
    return { pid: child.pid, pidFile: opts.pidFile };
  } finally {
    closeSync(log);
  }
}

/**
 * The pid recorded in `pidFile` if that process is still alive and its command line contains
 * `marker` — so a recycled pid never makes us report (or kill) somebody else's process.
 */
export function runningPid(pidFile: string, marker: string): number | null {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return cmdline.includes(marker) && state !== "Z" ? pid : null;
  } catch {
    return null;
  }
}

/** True while `pid` exists and is not a zombie (no marker check: right after spawn the child may not have exec'd yet). */
export function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state !== undefined && state !== "Z";
  } catch {
    return false;
  }
}

/** SIGTERM, wait up to `graceMs` for a clean exit, then SIGKILL; removes the pid file. */
export async function stopProcess(pidFile: string, marker: string, graceMs = 20_000): Promise<boolean> {
  const pid = runningPid(pidFile, marker);
  if (pid === null) {
    rmSync(pidFile, { force: true });
    return false;
  }
  process.kill(pid, "SIGTERM");
  const deadline = performance.now() + graceMs;
  while (runningPid(pidFile, marker) !== null && performance.now() < deadline) await Bun.sleep(100);
  if (runningPid(pidFile, marker) !== null) process.kill(pid, "SIGKILL");
  rmSync(pidFile, { force: true });
  return true;
}

/** Resolves true once something accepts TCP connections on host:port, false after `timeoutMs`. */
export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await portOpen(host, port)) return true;
    await Bun.sleep(100);
  }
  return false;
}

/** True when host:port accepts a TCP connection right now. */
export async function portOpen(host: string, port: number): Promise<boolean> {
  try {
    const socket = await Bun.connect({ hostname: host, port, socket: { data() {} } });
    socket.end();
    return true;
  } catch {
    return false;
  }
}

/** The last `lines` lines of a log file, for error messages. */
export function logTail(file: string, lines = 20): string {
  if (!existsSync(file)) return "(no log)";
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}
