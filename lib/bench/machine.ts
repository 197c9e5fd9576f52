import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";

/** The machine a benchmark ran on, so a reader can judge the numbers. */
export interface Machine {
  cpuModel: string;
  /** Logical CPUs the kernel offers this process. */
  cores: number;
  memoryBytes: number;
  kernel: string;
  /** PRETTY_NAME from /etc/os-release, or "unknown". */
  os: string;
  /** 1, 5 and 15 minute load averages when asked. */
  loadAverage: [number, number, number];
}

function osName(): string {
  if (!existsSync("/etc/os-release")) return "unknown";
  const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync("/etc/os-release", "utf8"));
  return match?.[1] ?? "unknown";
}

/** Describes this machine now (the load average changes; call it again to see how it moved). */
export function describeMachine(): Machine {
  const [one, five, fifteen] = loadavg();
  return {
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    cores: navigator.hardwareConcurrency || cpus().length,
    memoryBytes: totalmem(),
    kernel: `Linux ${release()}`,
    os: osName(),
    loadAverage: [one ?? 0, five ?? 0, fifteen ?? 0],
  };
}

/** "1.38 / 2.50 / 2.18" — load averages for a report line. */
export function formatLoad([one, five, fifteen]: [number, number, number]): string {
  return [one, five, fifteen].map((n) => n.toFixed(2)).join(" / ");
}

/**
 * The version line a tool prints (first line of stdout+stderr of `cmd`), or "unavailable (why)"
 * — a report must still be written when one tool's version cannot be read.
 */
export function commandVersion(cmd: string[]): string {
  try {
    const result = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
    const text = `${result.stdout.toString()}\n${result.stderr.toString()}`.trim();
    return text.split("\n")[0]?.trim() || "unavailable (no output)";
  } catch (error) {
    return `unavailable (${(error as Error).message})`;
  }
}
