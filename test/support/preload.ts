// Loaded before every test file (bunfig.toml): services started lazily by tests stop at the end.
import { afterAll } from "bun:test";
import { stopTestStack } from "./stack.ts";

afterAll(async () => {
  await stopTestStack();
}, 60_000);
