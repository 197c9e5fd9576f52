import { Admin } from "../../kafka/admin.ts";

/** A topic the benchmark needed did not become usable (no leader for a partition in time). */
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
 * The benchmark's own topics on a shared broker: created with a per-run unique name, waited for
 * until every partition has a leader (so no run pays for leader election), and deleted again —
 * also on Ctrl-C, through `deleteAll`.
 */
export class BenchTopics {
  private readonly admin: Admin;
  private readonly live = new Set<string>();

  constructor(readonly bootstrap: string) {
    this.admin = new Admin({ config: { "bootstrap.servers": bootstrap, log_level: "3" } });
  }

  /** Fails fast with a readable reason when no broker answers at `bootstrap`. */
  checkBroker(): void {
    try {
      this.admin.metadata({ timeoutMs: 5_000 });
    } catch (error) {
      throw new Error(`no Kafka broker answers at ${this.bootstrap} (${(error as Error).message}); start one with \`just up kafka\``, { cause: error });
    }
  }

  /** Creates `name` with `partitions` partitions (replication 1) and waits until all have a leader. */
  async create(name: string, partitions: number, timeoutMs = 30_000): Promise<void> {
    await this.admin.createTopics([{ name, partitions, replicationFactor: 1 }]);
    this.live.add(name);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const topic = this.admin.metadata({ topic: name, timeoutMs: 5_000 }).topics[0];
      const ready = topic && topic.error === 0 && topic.partitions.length === partitions && topic.partitions.every((p) => p.leader >= 0 && p.error === 0);
      if (ready) return;
      if (performance.now() > deadline) throw new TopicNotReadyError(name, timeoutMs);
      await Bun.sleep(100);
    }
  }

  async delete(name: string): Promise<void> {
    await this.admin.deleteTopics([name]);
    this.live.delete(name);
  }

  /** Deletes every topic this instance created and has not deleted yet; never throws. */
  async deleteAll(): Promise<string[]> {
    const names = [...this.live];
    if (names.length > 0) {
      try {
        await this.admin.deleteTopics(names);
        this.live.clear();
      } catch (error) {
        console.error(`could not delete benchmark topics ${names.join(", ")}: ${(error as Error).message}`);
      }
    }
    return names;
  }

  close(): void {
    this.admin.close();
  }
}
