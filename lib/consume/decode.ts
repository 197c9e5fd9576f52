import { EcomEventDecoder, WireFormatError } from "../events/avro/decoder.ts";
import { ecomEventType } from "../events/avro/schema.ts";
import { HEADER_BYTES, MAGIC_BYTE, readSchemaId } from "../events/avro/wire.ts";
import type { ConsumedMessage } from "../kafka/message.ts";
import { UnknownSchemaIdError, type SchemaRegistryClient } from "../registry/client.ts";
import type { RawRow } from "../sinks/sink.ts";
import type { DeadLetter } from "./dead-letter.ts";
import { FastEcomEventReader } from "./fast-decode.ts";
import { normalizeRow, rowFromEvent } from "./transform.ts";

/** One consumed batch, split into rows for the sink and dead letters. */
export interface DecodedBatch {
  rows: RawRow[];
  deadLetters: DeadLetter[];
  /** Payload bytes, for the flush-by-bytes policy and MB/s. */
  bytes: number;
}

type SchemaRoute = "fast" | "resolve" | UnknownSchemaIdError | WireFormatError;

/**
 * Confluent wire format → raw row. Each schema id's writer schema is fetched once: when it is
 * our schema (same canonical fingerprint) the hand-written reader decodes it; any other
 * compatible writer schema is resolved to ours by avsc (added fields with defaults, promotions).
 * An unknown id, an unresolvable schema, a bad frame or body, or a row that fails the checks
 * becomes a dead letter with the reason; an unreachable registry is an error that stops the
 * consumer before any offset moves.
 */
export class MessageDecoder {
  private readonly routes = new Map<number, SchemaRoute>();
  private readonly resolver = new EcomEventDecoder();
  private readonly fast = new FastEcomEventReader();
  private readonly ourFingerprint = ecomEventType().fingerprint("sha256").toString("hex");
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly registry: SchemaRegistryClient) {}

  async decode(messages: ConsumedMessage[], ingestedAt: number): Promise<DecodedBatch> {
    await this.learnSchemas(messages);
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
      const route = this.routes.get(readSchemaId(value))!;
      if (route instanceof Error) {
        deadLetters.push({ message, kind: "unknown-schema-id", reason: route.message });
        continue;
      }
      let row: RawRow;
      try {
        row = route === "fast" ? this.readFast(value, message, ingestedAt) : this.readResolved(value, message, ingestedAt);
      } catch (error) {
        deadLetters.push({ message, kind: "undecodable-avro", reason: `Avro body does not match schema ${readSchemaId(value)}: ${(error as Error).message}` });
        continue;
      }
      const problem = normalizeRow(row);
      if (problem) deadLetters.push({ message, kind: "invalid-event", reason: problem });
      else rows.push(row);
    }
    return { rows, deadLetters, bytes };
  }

  private readFast(value: Uint8Array, message: ConsumedMessage, ingestedAt: number): RawRow {
    // Consumed values are slices of one buffer per batch: wrap it once, not per message.
    if (this.buffer.buffer !== value.buffer) this.buffer = Buffer.from(value.buffer);
    const start = value.byteOffset + HEADER_BYTES;
    return this.fast.read(this.buffer, start, value.byteOffset + value.length, message.partition, message.offset, ingestedAt);
  }

  private readResolved(value: Uint8Array, message: ConsumedMessage, ingestedAt: number): RawRow {
    return rowFromEvent(this.resolver.decode(value).event, message.partition, message.offset, ingestedAt);
  }

  private async learnSchemas(messages: ConsumedMessage[]): Promise<void> {
    for (const { value } of messages) {
      if (!value || value.length < HEADER_BYTES || value[0] !== MAGIC_BYTE) continue;
      const id = readSchemaId(value);
      if (this.routes.has(id)) continue;
      try {
        const writer = await this.registry.writerType(id);
        if (writer.fingerprint("sha256").toString("hex") === this.ourFingerprint) {
          this.routes.set(id, "fast");
        } else {
          this.resolver.addSchema(id, writer.schema({ exportAttrs: true }) as Parameters<EcomEventDecoder["addSchema"]>[1]);
          this.routes.set(id, "resolve");
        }
      } catch (error) {
        if (!(error instanceof UnknownSchemaIdError || error instanceof WireFormatError)) throw error;
        this.routes.set(id, error);
      }
    }
  }
}
