/**
 * The local Confluent-compatible Schema Registry: start it in-process with `startRegistry`
 * (the stack and the tests do), or run scripts/registry.ts.
 */
export { startRegistry, type RegistryOptions, type RunningRegistry } from "./server.ts";
export { RegistryError } from "./errors.ts";
export { BasicAuthConfigError } from "./auth.ts";
export { StoreVersionError } from "./store.ts";
