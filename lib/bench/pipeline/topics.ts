import { Admin } from "../../kafka/admin.ts";
import { valueSubject } from "../../events/event.ts";

/** Where the benchmark's topics and subjects live (the local stack). */
export interface StackEndpoints {
  bootstrap: string;
  registryUrl: string;
  /** `user:password` when the local registry runs with basic auth. */
  registryAuth?: string;
}

/** A topic did not get a leader for every partition in time. */
export class TopicNotReadyError extends Error {
  constructor(
    readonly topic: string,
    readonly timeoutMs: number,
  ) {
    super(`topic ${topic}: not every partition had a leader after ${timeoutMs} ms — is the broker healthy? (just status)`);
    this.name = "TopicNotReadyError";
  }
}

/**
 * The benchmark's topics on the user's local broker, and the `<topic>-value` subjects the
 * producer registers for them: created (or adopted, when a child created them) under per-run
 * names, and deleted again — after each step, at the end, and on Ctrl-C — so repeated
 * benchmarks neither fill the disk nor litter the registry.
 */
export class PipelineTopics {
  private readonly admin: Admin;
  private readonly live = new Set<string>();
  private stopped = false;

  constructor(readonly endpoints: StackEndpoints) {
    this.admin = new Admin({ config: { "bootstrap.servers": endpoints.bootstrap, log_level: "3" } });
  }

  /** Fails fast, saying how to fix it, when the broker or the registry does not answer. */
  async checkStack(): Promise<void> {
    try {
      this.admin.metadata({ timeoutMs: 5_000 });
    } catch (error) {
      throw new Error(`no Kafka broker answers at ${this.endpoints.bootstrap} (${(error as Error).message}); start the stack: just up`, { cause: error });
    }
    try {
      const response = await this.registry("GET", "/subjects");
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      throw new Error(`the Schema Registry at ${this.endpoints.registryUrl} does not answer (${(error as Error).message}); start the stack: just up`, { cause: error });
    }
  }

  /** Refuses every later `create` (Ctrl-C: the steps still unwinding must not add topics). */
  stop(): void {
    this.stopped = true;
  }

  /** Creates `name` (replication 1) and waits until every partition has a leader. */
  async create(name: string, partitions: number, timeoutMs = 30_000): Promise<void> {
    if (this.stopped) throw new Error(`not creating topic ${name}: the benchmark is stopping`);
    await this.admin.createTopics([{ name, partitions, replicationFactor: 1 }]);
    this.live.add(name);
    const deadline = performance.now() + timeoutMs;
    while (!this.ready(name, partitions)) {
      if (performance.now() > deadline) throw new TopicNotReadyError(name, timeoutMs);
      await Bun.sleep(100);
    }
  }

  /** Takes responsibility for deleting `name`, which a child process creates (a dead-letter topic). */
  adopt(name: string): void {
    this.live.add(name);
  }

  /** Whether `name` exists with every partition led (e.g. a consumer has created its DLQ). */
  ready(name: string, partitions?: number): boolean {
    const topic = this.admin.metadata({ topic: name, timeoutMs: 5_000 }).topics[0];
    if (!topic || topic.error !== 0 || topic.partitions.length === 0) return false;
    if (partitions !== undefined && topic.partitions.length !== partitions) return false;
    return topic.partitions.every((p) => p.leader >= 0 && p.error === 0);
  }

  /** Deletes topics and their value subjects; throws when Kafka refuses. */
  async delete(...names: string[]): Promise<void> {
    if (names.length === 0) return;
    await this.admin.deleteTopics(names);
    for (const name of names) {
      this.live.delete(name);
      await this.deleteSubject(valueSubject(name));
    }
  }

  /** Deletes everything still live; never throws (Ctrl-C and final cleanup). Returns what it deleted. */
  async deleteAll(): Promise<string[]> {
    const names = [...this.live];
    try {
      await this.delete(...names);
    } catch (error) {
      console.error(`could not delete benchmark topics ${names.join(", ")}: ${(error as Error).message}`);
    }
    return names;
  }

  close(): void {
    this.admin.close();
  }

  /** Soft then permanent delete (Confluent's two-step API); a subject that never existed is fine. */
  private async deleteSubject(subject: string): Promise<void> {
    try {
      const soft = await this.registry("DELETE", `/subjects/${encodeURIComponent(subject)}`);
      if (soft.ok) await this.registry("DELETE", `/subjects/${encodeURIComponent(subject)}?permanent=true`);
    } catch (error) {
      console.error(`could not delete registry subject ${subject}: ${(error as Error).message}`);
    }
  }

  /** One registry call; the body is read (and dropped) so the connection can be reused. */
  private async registry(method: string, path: string): Promise<{ ok: boolean; status: number }> {
    const headers: Record<string, string> = { Accept: "application/vnd.schemaregistry.v1+json" };
    if (this.endpoints.registryAuth) headers.Authorization = `Basic ${btoa(this.endpoints.registryAuth)}`;
    const response = await fetch(`${this.endpoints.registryUrl}${path}`, { method, headers, signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return { ok: response.ok, status: response.status };
  }
}
