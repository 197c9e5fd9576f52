import { BenchTopics } from "../topics.ts";
import { valueSubject } from "../../events/event.ts";

/** Where the benchmark's topics and subjects live (the local stack). */
export interface StackEndpoints {
  bootstrap: string;
  registryUrl: string;
  /** `user:password` when the local registry runs with basic auth. */
  registryAuth?: string;
}

/**
 * The benchmark's topics on the user's local broker, and the `<topic>-value` subjects the
 * producer registers for them: deleted with their topics — after each step, at the end, and on
 * Ctrl-C — so repeated benchmarks neither fill the disk nor litter the registry.
 */
export class PipelineTopics extends BenchTopics {
  constructor(readonly endpoints: StackEndpoints) {
    super(endpoints.bootstrap);
  }

  /** Fails fast, saying how to fix it, when the broker or the registry does not answer. */
  async checkStack(): Promise<void> {
    this.checkBroker("just up");
    try {
      const response = await this.registry("GET", "/subjects");
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      throw new Error(`the Schema Registry at ${this.endpoints.registryUrl} does not answer (${(error as Error).message}); start the stack: just up`, { cause: error });
    }
  }

  /** Deletes topics and their value subjects; throws when Kafka refuses. */
  override async delete(...names: string[]): Promise<void> {
    await super.delete(...names);
    for (const name of names) await this.deleteSubject(valueSubject(name));
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
