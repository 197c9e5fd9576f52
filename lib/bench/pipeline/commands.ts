import { isAbsolute, join, relative } from "node:path";
import { paths } from "../../paths.ts";

/** One of our CLIs as the benchmark runs it, and as the report prints it. */
export interface ScriptCommand {
  argv: string[];
  /** Environment on top of the benchmark's own (the shared part is in CommandLog.baseEnv). */
  env: Record<string, string>;
  /** `WAREHOUSE_DIR=… bun scripts/x.ts …` with repo-relative paths, for the report. */
  display: string;
}

/** Shell-quotes a word only when it needs it (the report's commands must paste into bash). */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Repo-relative when under the repo (the report is read on other machines), else unchanged. */
export function displayPath(word: string): string {
  if (!isAbsolute(word) || !word.startsWith(paths.root)) return word;
  return relative(paths.root, word) || ".";
}

/**
 * Builds the commands of the benchmark's child processes — always `bun scripts/<name>.ts`, each
 * in its own process so the kernel's rusage measures it alone — and remembers the first command
 * used for each labelled purpose, which the report lists verbatim.
 */
export class CommandLog {
  private readonly seen = new Map<string, string>();

  /** `baseEnv` goes to every child: it pins them to the local stack whatever .env says. */
  constructor(readonly baseEnv: Record<string, string>) {}

  /** The command running scripts/`name`.ts with `args` and extra `env`; logged under `label` if given. */
  script(name: string, args: string[], env: Record<string, string> = {}, label?: string): ScriptCommand {
    const argv = [process.execPath, join(paths.root, "scripts", `${name}.ts`), ...args];
    const prefix = Object.entries(env).map(([key, value]) => `${key}=${shellWord(displayPath(value))}`);
    const display = [...prefix, "bun", `scripts/${name}.ts`, ...args.map((a) => shellWord(displayPath(a)))].join(" ");
    const command = { argv, env: { ...this.baseEnv, ...env }, display };
    if (label) this.note(label, command.display);
    return command;
  }

  /** Records `display` under `label` unless that label already has one (run 1 speaks for all). */
  note(label: string, display: string): void {
    if (!this.seen.has(label)) this.seen.set(label, display);
  }

  /** Every labelled command in the order first used. */
  entries(): [string, string][] {
    return [...this.seen.entries()];
  }
}
