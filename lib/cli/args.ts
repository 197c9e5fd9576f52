import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * Parses a script's flags the same way everywhere: `-h/--help` prints `help` and exits 0; an
 * unknown or malformed flag prints the problem and the help on stderr and exits 2. The config
 * must declare `help: { type: "boolean", short: "h" }` among its options.
 */
export function parseCli<T extends ParseArgsConfig>(script: string, help: string, config: T): ReturnType<typeof parseArgs<T>> {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    console.error(`${script}: ${(error as Error).message}\n\n${help}`);
    process.exit(2);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(help);
    process.exit(0);
  }
  return parsed;
}

/** Prints `message` and exits 2: a flag's value is unusable (the script's --help says why). */
export function usageError(script: string, message: string): never {
  console.error(`${script}: ${message} (see --help)`);
  process.exit(2);
}
