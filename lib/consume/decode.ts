import type avro from "avsc";
import type { EcomEvent } from "../events/event.ts";
import { HEADER_BYTES, MAGIC_BYTE, readSchemaId } from "../events/avro/wire.ts";
import type { ConsumedMessage } from "../kafka/message.ts";
import { UnknownSchemaIdError, type SchemaRegistryClient } from "../registry/client.ts";
import type { RawRow } from "../sinks/sink.ts";
import type { DeadLetter } from "./dead-letter.ts";
import { toRawRow } from "./transform.ts";

/** One consumed batch, split into rows for the sink and dead letters. */
export interface DecodedBatch {
  rows: RawRow[];
  deadLetters: DeadLetter[];
  /** Payload bytes, for the flush-by-bytes policy and MB/s. */
  bytes: number;
}

/**
 * Confluent wire format → Avro record → raw row. The writer schema of each id is fetched once
 * (an unknown id is a dead letter, an unreachable registry an error that stops the consumer
 * before any offset moves); decoding then stays synchronous per message.
 */
export class MessageDecoder {
  private readonly types = new Map<number, avro.Type | UnknownSchemaIdError>();

  constructor(private readonly registry: SchemaRegistryClient) {}

  async decode(messages: ConsumedMessage[], ingestedAt: number): Promise<DecodedBatch> {
    await this.fetchNewSchemas(messages);
    const rows: RawRow[] = [];
    const deadLetters: DeadLetter[] = [];
    let bytes = 0;
    for (const message of messages) {
      const value = message.value;
      bytes += value?.length ?? 0;
      if (!value || value.length < HEADER_BYTES) {
        deadLetters.push({ message, kind: "too-short", reason: `value has ${value?.length ?? 0} bytes; a framed Avro message has at least ${HEADER_BYTES}` });
        continue;
      }
      if (value[0] !== MAGIC_BYTE) {
        deadLetters.push({ message, kind: "wrong-magic-byte", reason: `first byte is ${value[0]}, expected the Confluent magic byte 0` });
        continue;
      }
      const type = this.types.get(readSchemaId(value))!;
      if (type instanceof UnknownSchemaIdError) {
        deadLetters.push({ message, kind: "unknown-schema-id", reason: type.message });
        continue;
      }
      let record: Partial<EcomEvent>;
      try {
        record = type.fromBuffer(Buffer.from(value.buffer, value.byteOffset + HEADER_BYTES, value.length - HEADER_BYTES));
      } catch (error) {
        deadLetters.push({ message, kind: "undecodable-avro", reason: `Avro body does not match schema ${readSchemaId(value)}: ${(error as Error).message}` });
        continue;
      }
      const row = toRawRow(record, message.partition, message.offset, ingestedAt);
      if (typeof row === "string") deadLetters.push({ message, kind: "invalid-event", reason: row });
      else rows.push(row);
    }
    return { rows, deadLetters, bytes };
  }

  private async fetchNewSchemas(messages: ConsumedMessage[]): Promise<void> {
    for (const { value } of messages) {
      if (!value || value.length < HEADER_BYTES || value[0] !== MAGIC_BYTE) continue;
      const id = readSchemaId(value);
      if (this.types.has(id)) continue;
      try {
        this.types.set(id, await this.registry.writerType(id));
      } catch (error) {
        if (!(error instanceof UnknownSchemaIdError)) throw error;
        this.types.set(id, error);
      }
    }
  }
}
