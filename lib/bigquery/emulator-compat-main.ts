#!/usr/bin/env bun
/**
 * The BigQuery emulator as `just up bigquery` runs it: goccy/bigquery-emulator as a child process
 * on a private loopback port, and the compatibility proxy (emulator-compat.ts) on the port users
 * point BIGQUERY_API_ENDPOINT at. One process to start, watch and stop: the stack's pid file
 * names this one, SIGTERM stops both, and when the emulator dies this process exits with it.
 * (An entry point under lib/ rather than scripts/ only because it belongs to the emulator
 * compatibility layer; it is not meant to be run by hand.)
 */
import { parseArgs } from "node:util";
import { startEmulatorCompatProxy } from "./emulator-compat.ts";

const HELP = `Usage: bun lib/bigquery/emulator-compat-main.ts [--host H] [--port P] -- EMULATOR [EMULATOR ARGS...]

Starts EMULATOR (goccy/bigquery-emulator) with EMULATOR ARGS plus --host=127.0.0.1 and a free
--port, and serves the emulator-compat proxy in front of it on H:P (default 127.0.0.1:9050).
Do not pass --host/--port to the emulator. SIGTERM/SIGINT stop both.
Exit codes: 0 after SIGTERM/SIGINT; when the emulator exits on its own, its exit code (1 if that
was 0: a service that stops by itself failed); 2 on usage errors.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "9050" },
    help: { type: "boolean", short: "h" },
  },
});
const [emulator, ...emulatorArgs] = positionals;
if (values.help || !emulator) {
  (values.help ? console.log : console.error)(HELP);
  process.exit(values.help ? 0 : 2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port ${values.port} is not a port number`);
  process.exit(2);
}

/** A loopback port nothing listens on right now. */
function freePort(): number {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const free = listener.port;
  listener.stop(true);
  return free;
}

const emulatorPort = freePort();
// The proxy first: if its port is taken this process fails before it has a child to orphan.
let proxy: ReturnType<typeof startEmulatorCompatProxy>;
try {
  proxy = startEmulatorCompatProxy({ upstream: `http://127.0.0.1:${emulatorPort}`, hostname: values.host, port });
} catch (error) {
  console.error(`emulator-compat: cannot listen on ${values.host}:${port}: ${(error as Error).message}`);
  process.exit(1);
}
const child = Bun.spawn([emulator, ...emulatorArgs, "--host=127.0.0.1", `--port=${emulatorPort}`], {
  stdin: "ignore",
  stdout: "inherit",
  stderr: "inherit",
});
console.error(`emulator-compat: ${proxy.url} → bigquery-emulator on 127.0.0.1:${emulatorPort} (pid ${child.pid})`);

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  child.kill(signal === "SIGINT" ? "SIGINT" : "SIGTERM");
  const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(10_000).then(() => false)]);
  if (!exited) child.kill("SIGKILL");
  await proxy.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));

const code = await child.exited;
if (!stopping) {
  console.error(`emulator-compat: bigquery-emulator exited with ${code}; stopping`);
  await proxy.stop();
  process.exit(code || 1);
}
