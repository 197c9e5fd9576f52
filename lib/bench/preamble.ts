import { formatMiB } from "./format.ts";
import { formatLoad, type Machine } from "./machine.ts";
import { summarize } from "./stats.ts";

/** A run (or the whole benchmark) that failed: what, e.g. "java produce 100 B run 3", and why. */
export interface Failure {
  what: string;
  message: string;
}

/** What every benchmark report states besides its measurements. */
export interface RunContext {
  startedAt: Date;
  finishedAt: Date;
  machine: Machine;
  loadAtEnd: [number, number, number];
  versions: Record<string, string>;
  /** Human-readable settings, one "name: value" per entry. */
  settings: [string, string][];
  /** The benchmark's own command line. */
  command: string;
  failures: Failure[];
}

/** What every benchmark report says before its results: when, where, with what. */
export interface Preamble {
  title: string;
  /** e.g. "Run 2026-…Z – 2026-…Z (5.6 min) with `bun scripts/bench.ts`." */
  runLine: string;
  machine: Machine;
  loadAtEnd: [number, number, number];
  /** 1-minute load average at the start of each run. */
  runLoads: number[];
  /** Who else used the cores while it ran. */
  machineNote: string;
  versions: Record<string, string>;
  settingsTitle: string;
  settings: [string, string][];
}

/** The report's opening sections (title, Machine, Versions, Settings) as markdown lines. */
export function renderPreamble(p: Preamble): string[] {
  const { machine } = p;
  const load = p.runLoads.length ? summarize(p.runLoads) : null;
  return [
    `# ${p.title}`,
    "",
    p.runLine,
    "",
    "## Machine",
    "",
    `- CPU: ${machine.cpuModel}, ${machine.cores} logical cores; RAM ${formatMiB(machine.memoryBytes)}`,
    `- OS: ${machine.os}, ${machine.kernel}`,
    `- Load average (1/5/15 min): ${formatLoad(machine.loadAverage)} at the start, ${formatLoad(p.loadAtEnd)} at the end` +
      (load ? `; 1-min load at each run's start: median ${load.median.toFixed(2)} (${load.min.toFixed(2)} – ${load.max.toFixed(2)})` : ""),
    `- ${p.machineNote}`,
    "",
    "## Versions",
    "",
    ...Object.entries(p.versions).map(([name, version]) => `- ${name}: ${version}`),
    "",
    `## ${p.settingsTitle}`,
    "",
    ...p.settings.map(([name, value]) => `- ${name}: ${value}`),
    "",
  ];
}

/** A "Failed runs" section, or nothing when every run passed. */
export function renderFailures(failures: readonly Failure[]): string[] {
  return failures.length > 0 ? ["## Failed runs", "", ...failures.map((f) => `- ${f.what}: ${f.message.split("\n")[0]}`), ""] : [];
}
