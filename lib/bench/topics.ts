import { Admin } from "../kafka/admin.ts";

/** A topic a benchmark needed did not become usable (no leader for a partition in time). */
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
 * A benchmark's own topics on a shared broker: created under per-run unique names, waited for
 * until every partition has a leader (so no run pays for leader election), and deleted again —
 * also on Ctrl-C, through `deleteAll`.
 */
export class BenchTopics {
  private readonly admin: Admin;
  private readonly live = new Set<string>();
  private stopped = false;

  constructor(readonly bootstrap: string) {
    this.admin = new Admin({ config: { "bootstrap.servers": bootstrap, log_level: "3" } });
  }

  /** Fails fast with a readable reason when no broker answers at `bootstrap`. */
  checkBroker(howToStart = "just up kafka"): void {
    try {
      this.admin.metadata({ timeoutMs: 5_000 });
    } catch (error) {
      throw new Error(`no Kafka broker answers at ${this.bootstrap} (${(error as Error).message}); start one with \`${howToStart}\``, { cause: error });
    }
  }

  /** Refuses every later `create` (Ctrl-C: the steps still unwinding must not add topics). */
  stop(): void {
    this.stopped = true;
  }

  /** Creates `name` with `partitions` partitions (replication 1) and waits until all have a leader. */
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

  /** Whether `name` exists with every partition led (and with `partitions` of them, if given). */
  ready(name: string, partitions?: number): boolean {
    const topic = this.admin.metadata({ topic: name, timeoutMs: 5_000 }).topics[0];
    if (!topic || topic.error !== 0 || topic.partitions.length === 0) return false;
    if (partitions !== undefined && topic.partitions.length !== partitions) return false;
    return topic.partitions.every((p) => p.leader >= 0 && p.error === 0);
  }

  /** Deletes topics; throws when Kafka refuses. */
  async delete(...names: string[]): Promise<void> {
    if (names.length === 0) return;
    await this.admin.deleteTopics(names);
    for (const name of names) this.live.delete(name);
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
}
