import { Producer, type DeliveryFailure } from "../kafka/producer.ts";
import type { KafkaConfig } from "../kafka/config.ts";
import type { DeadLetter, DeadLetterKind } from "./dead-letter.ts";

/** Dead letters could not be written: their offsets must not be committed. */
export class DeadLetterDeliveryError extends Error {
  constructor(topic: string, failures: DeliveryFailure[]) {
    super(`${failures.length} dead letter(s) could not be written to ${topic}: ${failures[0]?.error.message}`);
    this.name = "DeadLetterDeliveryError";
  }
}

/**
 * The dead-letter topic: the original key and value, untouched, with headers saying why and
 * where from (`dlq.error.kind`, `dlq.error.reason`, `dlq.source.topic|partition|offset|timestamp`,
 * `dlq.consumer.group`, `dlq.failed.at`) — the Kafka Connect convention, so existing tools can
 * read it. `flush` waits for the broker's acknowledgement: only then may the consumer store the
 * offsets of the messages it replaces.
 */
export class DeadLetterQueue {
  readonly counts = new Map<DeadLetterKind, number>();
  private readonly producer: Producer;
  private failures: DeliveryFailure[] = [];

  constructor(
    config: KafkaConfig,
    private readonly topic: string,
    private readonly group: string,
  ) {
    this.producer = new Producer({ config, onDeliveryFailure: (failure) => this.failures.push(failure) });
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  async send(letters: DeadLetter[]): Promise<void> {
    const failedAt = new Date().toISOString();
    for (const { message, kind, reason } of letters) {
      await this.producer.produceWithHeaders(this.topic, {
        key: message.key,
        value: message.value,
        headers: {
          "dlq.error.kind": kind,
          "dlq.error.reason": reason,
          "dlq.source.topic": message.topic,
          "dlq.source.partition": String(message.partition),
          "dlq.source.offset": String(message.offset),
          "dlq.source.timestamp": String(message.timestamp),
          "dlq.consumer.group": this.group,
          "dlq.failed.at": failedAt,
        },
      });
      this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    }
  }

  /** Waits until every dead letter sent so far is acknowledged; throws if any was not. */
  async flush(timeoutMs = 30_000): Promise<void> {
    if (this.producer.inFlight > 0) await this.producer.flush(timeoutMs);
    const failed = this.failures;
    this.failures = [];
    if (failed.length > 0 || this.producer.inFlight > 0) throw new DeadLetterDeliveryError(this.topic, failed);
  }

  close(): Promise<number> {
    return this.producer.close(10_000);
  }
}
