import { mkdirSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../paths.ts";

/** One idempotent unit of `just setup`: skipped when its output exists and its inputs are unchanged. */
export interface SetupStep {
  name: string;
  /** A string that changes whenever the step must run again (pinned versions, hashes of input files). */
  fingerprint(): string;
  /** Whether the step's output is on disk; checked together with the stamp left by the last run. */
  present(): boolean;
  run(): Promise<void>;
}

/** Thrown when a step fails; `log` points at the full output. */
export class SetupError extends Error {
  constructor(
    readonly step: string,
    message: string,
    readonly log?: string,
  ) {
    super(`setup step '${step}' failed: ${message}${log ? `\n  full output: ${log}` : ""}`);
    this.name = "SetupError";
  }
}

const stampPath = (name: string) => join(paths.stamps, name.replace(/[^a-z0-9]+/gi, "-"));

/** Runs the steps in order, printing each with its duration; returns the seconds each took. */
export async function runSteps(steps: SetupStep[], { force = false, quiet = false } = {}): Promise<Map<string, number>> {
  mkdirSync(paths.stamps, { recursive: true });
  const durations = new Map<string, number>();
  for (const step of steps) {
    const stamp = stampPath(step.name);
    const fingerprint = step.fingerprint();
    const upToDate =
      !force && existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint && step.present();
    if (upToDate) {
      if (!quiet) console.error(`  ✓ ${step.name.padEnd(28)} already present`);
      continue;
    }
    console.error(`  … ${step.name}`);
    const started = performance.now();
    await step.run();
    const seconds = (performance.now() - started) / 1000;
    durations.set(step.name, seconds);
    writeFileSync(stamp, fingerprint);
    console.error(`  ✓ ${step.name.padEnd(28)} ${seconds.toFixed(1)} s`);
  }
  return durations;
}
