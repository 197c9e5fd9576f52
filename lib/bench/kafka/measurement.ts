/**
 * The three clients the benchmark compares. The binding lends its values to librdkafka (as
 * rdkafka_performance does); `binding-nokey` sends them unkeyed, `binding-copy` unkeyed and
 * copied (RD_KAFKA_MSG_F_COPY, what the pipeline does: its buffers are reused). Both are produce
 * only. `rdkafka_performance-poll` is rdkafka_performance consuming one message per
 * `rd_kafka_consumer_poll` instead of in batches (consume only).
 */
export type Tool = "binding" | "binding-nokey" | "binding-copy" | "rdkafka_performance" | "rdkafka_performance-poll" | "java";

/** Variants of the binding that only produce (every consumer reads the same keyed topic). */
export const PRODUCE_ONLY: readonly Tool[] = ["binding-nokey", "binding-copy"];
/** Variants of the binding, compared with the reference tools. */
export const BINDINGS: readonly Tool[] = ["binding", "binding-nokey", "binding-copy"];
export type Role = "produce" | "consume";

/** What a tool is asked to do in one run. */
export interface RunSpec {
  role: Role;
  bootstrap: string;
  topic: string;
  messages: number;
  /** Value size in bytes. */
  size: number;
  /** Consumer group of a consume run (fresh per run). */
  groupId: string;
  /** File holding exactly the payload bytes (for Java's --payload-file). */
  payloadFile: string;
  /** Extra librdkafka properties (-X) for the librdkafka-based tools. */
  librdkafkaOverrides: Record<string, string>;
}

/** One run of one tool, as measured by the tool itself (rate) and from outside (CPU, RSS, wall). */
export interface Measurement {
  tool: Tool;
  role: Role;
  size: number;
  messages: number;
  /** The interval the tool's own rate is computed over, in ms (see the report for each tool's definition). */
  elapsedMs: number;
  msgsPerSec: number;
  wallMs: number;
  cpuMs: number;
  peakRssBytes: number;
  /** Load average (1 min) when the run started. */
  load1: number;
  /** Tool-specific extras worth keeping (binding phases, Java rebalance time). */
  detail?: Record<string, number>;
}

/** A tool's output did not contain the result line the benchmark parses. */
export class UnparsableOutputError extends Error {
  constructor(
    readonly tool: Tool,
    readonly expected: string,
    readonly output: string,
  ) {
    super(`${tool}: expected ${expected} in its output, got:\n    ${output.trim().split("\n").slice(-10).join("\n    ")}`);
    this.name = "UnparsableOutputError";
  }
}

/** A tool ran but moved a different number of messages than asked. */
export class IncompleteRunError extends Error {
  constructor(
    readonly tool: Tool,
    readonly expected: number,
    readonly actual: number,
    detail = "",
  ) {
    super(`${tool}: ${actual} of ${expected} messages${detail ? ` (${detail})` : ""}`);
    this.name = "IncompleteRunError";
  }
}
