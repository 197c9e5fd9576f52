/**
 * Confluent's compatibility levels, decided with avsc's schema resolution.
 *
 * BACKWARD: a consumer on the new schema reads data written with the old one
 * (`new.createResolver(old)` succeeds). FORWARD: a consumer still on the old schema reads data
 * written with the new one (`old.createResolver(new)`). FULL: both. The plain levels compare
 * against the latest live version only, the `_TRANSITIVE` ones against every live version.
 * avsc's resolution follows the Avro specification's rules (field defaults, union branches,
 * enum symbols and defaults, numeric promotion, named-type names and aliases), which is also
 * what Confluent's checker implements.
 */
import type { Type } from "avsc";
import { invalidCompatibilityLevel } from "./errors.ts";

/** Every level Confluent accepts, in its own spelling. */
export const COMPATIBILITY_LEVELS = [
  "NONE",
  "BACKWARD",
  "BACKWARD_TRANSITIVE",
  "FORWARD",
  "FORWARD_TRANSITIVE",
  "FULL",
  "FULL_TRANSITIVE",
] as const;

export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

/** Confluent's global default. */
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = "BACKWARD";

/** A live version a candidate is checked against. */
export interface PreviousVersion {
  version: number;
  id: number;
  type: Type;
}

/**
 * Reads a level from a request (case-insensitive, like Confluent); throws 42203 for anything
 * else, including a missing value.
 */
export function parseCompatibilityLevel(value: unknown): CompatibilityLevel {
  const upper = typeof value === "string" ? value.trim().toUpperCase() : undefined;
  const level = COMPATIBILITY_LEVELS.find((candidate) => candidate === upper);
  if (!level) throw invalidCompatibilityLevel(value);
  return level;
}

/**
 * Checks `candidate` against `previous` (ascending by version) under `level` and returns one
 * message per incompatibility; an empty list means compatible. Non-transitive levels look at
 * the last entry only.
 */
export function checkCompatibility(
  level: CompatibilityLevel,
  candidate: Type,
  previous: PreviousVersion[],
): string[] {
  if (level === "NONE" || previous.length === 0) return [];
  const against = level.endsWith("_TRANSITIVE") ? previous : previous.slice(-1);
  const backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
  const forward = level.startsWith("FORWARD") || level.startsWith("FULL");
  const messages: string[] = [];
  for (const old of against) {
    const where = `version ${old.version} (id ${old.id})`;
    if (backward) {
      const problem = resolveProblem(candidate, old.type);
      if (problem) messages.push(`${level}: the new schema cannot read data written with ${where}: ${problem}`);
    }
    if (forward) {
      const problem = resolveProblem(old.type, candidate);
      if (problem) messages.push(`${level}: ${where} cannot read data written with the new schema: ${problem}`);
    }
  }
  if (messages.length > 0) messages.push(`{compatibility: '${level}'}`);
  return messages;
}

function resolveProblem(reader: Type, writer: Type): string | undefined {
  try {
    reader.createResolver(writer);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
