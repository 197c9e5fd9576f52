import { loadavg } from "node:os";
import type { CommandResult } from "../run.ts";
import type { CommandLog } from "./commands.ts";
import type { Results, Step } from "./metrics.ts";
import type { PipelinePlan } from "./plan.ts";
import type { PipelineTopics } from "./topics.ts";
import type { Workspace } from "./workspace.ts";

/** What every step needs: the plan, the shared resources, and where results and progress go. */
export interface BenchContext {
  plan: PipelinePlan;
  /** Prefix of every topic and group name, unique per invocation. */
  runId: string;
  topics: PipelineTopics;
  commands: CommandLog;
  workspace: Workspace;
  results: Results;
  log: (line: string) => void;
}

/** A run moved a different number of events than it should have. */
export class IncompleteRunError extends Error {
  constructor(
    readonly what: string,
    readonly expected: number,
    readonly actual: number,
    detail = "",
  ) {
    super(`${what}: ${actual.toLocaleString("en-US")} of ${expected.toLocaleString("en-US")} events${detail ? ` (${detail})` : ""}`);
    this.name = "IncompleteRunError";
  }
}

/** Records a child's rusage under `step`/`process` for the resources table. */
export function recordUsage(ctx: BenchContext, step: Step, process: string, rows: number, run: number, result: CommandResult, load1: number): void {
  ctx.results.use({ step, process, rows, run, wallMs: result.wallMs, cpuMs: result.cpuMs, peakRssBytes: result.peakRssBytes, load1 });
}

/** The 1-minute load average now (recorded at each run's start). */
export const load1 = () => loadavg()[0] ?? 0;

/** A generous timeout for a child handling `rows` rows: `base` seconds plus `perRow` seconds per row. */
export const timeoutFor = (rows: number, baseSeconds: number, perRowSeconds: number) => Math.round((baseSeconds + rows * perRowSeconds) * 1000);

/** "885,129" — sizes in progress lines and labels. */
export const rowsLabel = (rows: number) => rows.toLocaleString("en-US");
