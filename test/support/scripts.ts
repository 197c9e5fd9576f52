import { join } from "node:path";
import { paths } from "../../lib/paths.ts";
import type { TestStack } from "./stack.ts";

/** What a script run printed and how it ended. */
export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of our CLIs (`scripts/<name>.ts`) as a user would, in its own process, pointed at the
 * test stack through the same environment variables users set.
 */
export async function runScript(name: string, args: string[], env: Record<string, string> = {}): Promise<ScriptRun> {
  const proc = Bun.spawn([process.execPath, join(paths.root, "scripts", `${name}.ts`), ...args], {
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code, stdout, stderr };
}

/** The environment that points our scripts at the test stack and a private warehouse folder. */
export function stackEnv(stack: TestStack, warehouseDir: string): Record<string, string> {
  return {
    KAFKA_BOOTSTRAP_SERVERS: stack.bootstrap,
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    WAREHOUSE_DIR: warehouseDir,
    WAREHOUSE: "local",
  };
}
