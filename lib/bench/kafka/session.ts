import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { paths } from "../../paths.ts";
import { formatCount, formatSize } from "../format.ts";
import { PRODUCE_ONLY, type Measurement, type Role, type RunSpec, type Tool } from "./measurement.ts";
import { payload } from "./payload.ts";
import type { Failure } from "./report.ts";
import type { BenchTopics } from "../topics.ts";
import { runTool } from "./tools.ts";

/** What one `just bench-kafka` measures. */
export interface SessionPlan {
  bootstrap: string;
  partitions: number;
  runs: number;
  sizes: number[];
  /** Messages per run, one entry per size. */
  messages: number[];
  roles: Role[];
  tools: Tool[];
  librdkafkaOverrides: Record<string, string>;
  /** Prefix of every topic and group name, unique per session. */
  runId: string;
}

/** Rotates the tool order each run so no tool always runs first (right after a topic fill, say). */
const rotated = (list: Tool[], run: number) => list.map((_, i) => list[(i + run - 1) % list.length]!);

/**
 * Runs the plan: for each size, every producer run on a fresh topic, then one topic filled once
 * by the binding (keyed, as the pipeline writes) and every consumer run on it under a fresh group.
 * Runs of different tools are interleaved. A failing run is recorded and the session goes on; a
 * failing topic operation (broker gone) ends it. Progress goes to `log`; topics are always deleted.
 */
export async function runSession(
  plan: SessionPlan,
  topics: BenchTopics,
  log: (line: string) => void,
): Promise<{ measurements: Measurement[]; failures: Failure[] }> {
  const measurements: Measurement[] = [];
  const failures: Failure[] = [];
  const workDir = join(paths.local, "bench");
  mkdirSync(workDir, { recursive: true });

  const measure = async (tool: Tool, spec: RunSpec, run: number) => {
    const label = `  ${formatSize(spec.size).padEnd(6)} ${spec.role.padEnd(7)} run ${run}/${plan.runs} ${tool.padEnd(19)}`;
    const load1 = loadavg()[0] ?? 0;
    try {
      const outcome = await runTool(tool, spec);
      measurements.push({ ...outcome, load1 });
      log(`${label} ${formatCount(outcome.msgsPerSec).padStart(10)} msgs/s  (load ${load1.toFixed(2)})`);
    } catch (error) {
      failures.push({ what: `${tool} ${spec.role} ${formatSize(spec.size)} run ${run}`, message: (error as Error).message });
      log(`${label} FAILED: ${(error as Error).message}`);
    }
  };

  try {
    for (const [index, size] of plan.sizes.entries()) {
      const messages = plan.messages[index]!;
      const payloadFile = join(workDir, `payload-${size}.bin`);
      writeFileSync(payloadFile, payload(size));
      const spec = (role: Role, topic: string, groupId = ""): RunSpec => ({
        role, bootstrap: plan.bootstrap, topic, messages, size, groupId, payloadFile, librdkafkaOverrides: plan.librdkafkaOverrides,
      });
      const producers = plan.roles.includes("produce") ? plan.tools.filter((t) => t !== "rdkafka_performance-poll") : [];
      for (let run = 1; run <= plan.runs; run++) {
        for (const tool of rotated(producers, run)) {
          const topic = `${plan.runId}-p${size}-${tool}-${run}`;
          await topics.create(topic, plan.partitions);
          await measure(tool, spec("produce", topic), run);
          await topics.delete(topic);
        }
      }
      const consumers = plan.roles.includes("consume") ? plan.tools.filter((t) => !PRODUCE_ONLY.includes(t)) : [];
      if (consumers.length === 0) continue;
      const source = `${plan.runId}-c${size}`;
      await topics.create(source, plan.partitions);
      log(`  ${formatSize(size).padEnd(6)} filling ${source} with ${formatCount(messages)} keyed messages (binding)`);
      await runTool("binding", spec("produce", source));
      for (let run = 1; run <= plan.runs; run++) {
        for (const tool of rotated(consumers, run)) await measure(tool, spec("consume", source, `${source}-${tool}-${run}`), run);
      }
      await topics.delete(source);
    }
  } catch (error) {
    // A topic operation or the fill failed: the broker is gone or unhealthy, nothing more can be measured.
    failures.push({ what: "benchmark aborted", message: (error as Error).message });
    log(`benchmark aborted: ${(error as Error).message}`);
  } finally {
    await topics.deleteAll();
  }
  return { measurements, failures };
}
