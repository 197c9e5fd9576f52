/** What one run of a child process cost, measured from outside it. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Spawn to exit, including start-up (JVM, Bun) and shutdown. */
  wallMs: number;
  /** Peak resident set size of the child (and any descendants it waited for), in bytes. */
  peakRssBytes: number;
  /** User + system CPU time of the child, in milliseconds. */
  cpuMs: number;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Kill the child (SIGKILL) after this long; the run then fails. */
  timeoutMs?: number;
}

/** A benchmark command exited non-zero or timed out; carries the tail of its output. */
export class CommandFailedError extends Error {
  constructor(
    readonly command: string[],
    readonly exitCode: number | null,
    readonly output: string,
    reason: string,
  ) {
    const tail = output.trimEnd().split("\n").slice(-20).join("\n    ");
    super(`\`${command.join(" ")}\` ${reason}${tail ? `:\n    ${tail}` : ""}`);
    this.name = "CommandFailedError";
  }
}

const running = new Set<{ kill(signal?: number | NodeJS.Signals): void; readonly exited: Promise<number> }>();
let stopped = false;

/**
 * Kills every child `runCommand` is still waiting for and refuses to start new ones (on Ctrl-C,
 * before cleaning up: the loop that started them would otherwise start the next one).
 */
export function killRunning(signal: NodeJS.Signals = "SIGTERM"): void {
  stopped = true;
  for (const child of running) child.kill(signal);
}

/**
 * killRunning, then waits until every child has exited — SIGKILL after `graceMs` — so cleanup
 * does not race a child that is still writing (a consumer flushes its batch on SIGTERM).
 */
export async function stopRunning(signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<void> {
  const children = [...running];
  killRunning(signal);
  const timer = setTimeout(() => children.forEach((child) => child.kill("SIGKILL")), graceMs);
  await Promise.all(children.map((child) => child.exited));
  clearTimeout(timer);
}

/** A child `startCommand` started: signal it with `kill`, await `result` for what it cost. */
export interface StartedCommand {
  readonly pid: number;
  /** Settles like runCommand's promise: the measurements, or CommandFailedError (non-zero exit, timeout). */
  readonly result: Promise<CommandResult>;
  /** True once the child has exited (whatever its code). */
  readonly exited: boolean;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Runs a command to completion, capturing stdout and stderr, and reads its peak RSS and CPU time
 * from the kernel's rusage (wait4) as Bun reports it. rusage rather than sampling
 * /proc/<pid>/status: the kernel tracks the true high-water mark, while sampling misses peaks
 * shorter than its interval and cannot read a process that has already exited.
 */
export async function runCommand(cmd: string[], options: RunOptions = {}): Promise<CommandResult> {
  return startCommand(cmd, options).result;
}

/**
 * Starts a command the way runCommand runs it (same capture, rusage, timeout, Ctrl-C handling)
 * but hands back control at once, for children that must run side by side or be stopped by a
 * signal (a consumer in follow mode). A non-zero exit — also after `kill` — rejects `result`.
 */
export function startCommand(cmd: string[], options: RunOptions = {}): StartedCommand {
  if (stopped) throw new CommandFailedError(cmd, null, "", "not started: the benchmark is stopping");
  const started = performance.now();
  const child = Bun.spawn(cmd, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  running.add(child);
  let timedOut = false;
  let exited = false;
  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, options.timeoutMs)
    : null;
  const result = (async () => {
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    if (timer) clearTimeout(timer);
    running.delete(child);
    const wallMs = performance.now() - started;
    if (timedOut) throw new CommandFailedError(cmd, null, `${stdout}\n${stderr}`, `timed out after ${options.timeoutMs} ms`);
    if (exitCode !== 0) throw new CommandFailedError(cmd, exitCode, `${stdout}\n${stderr}`, `exited with ${exitCode}`);
    const usage = child.resourceUsage();
    return {
      stdout,
      stderr,
      wallMs,
      peakRssBytes: usage?.maxRSS ?? 0,
      cpuMs: usage ? Number(usage.cpuTime.total) / 1000 : 0,
    };
  })();
  void child.exited.then(() => {
    exited = true;
  });
  return {
    pid: child.pid,
    result,
    get exited() {
      return exited;
    },
    kill: (signal: NodeJS.Signals = "SIGTERM") => child.kill(signal),
  };
}
