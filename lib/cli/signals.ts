/**
 * Clean shutdown on Ctrl-C: the first SIGINT or SIGTERM prints `message` and aborts the returned
 * signal, so the running stage finishes its batch, flushes and commits; a second one exits at
 * once with 130, for when waiting is not wanted.
 */
export function stopOnSignals(message: string): AbortSignal {
  const controller = new AbortController();
  let received = 0;
  for (const name of ["SIGINT", "SIGTERM"] as const) {
    process.on(name, () => {
      if (++received > 1) process.exit(130);
      console.error(`\n${name}: ${message} (again to force quit)…`);
      controller.abort();
    });
  }
  return controller.signal;
}
