import { EcomEventDecoder, WireFormatError } from "../events/avro/decoder.ts";
import { ecomEventType } from "../events/avro/schema.ts";
import { HEADER_BYTES, MAGIC_BYTE, readSchemaId } from "../events/avro/wire.ts";
import type { MessageBatch } from "../kafka/batch.ts";
import { UnknownSchemaIdError, type SchemaRegistryClient } from "../registry/client.ts";
import type { RowColumns } from "../sinks/sink.ts";
import { RowColumnsBuilder } from "./columns-builder.ts";
import type { DeadLetter } from "./dead-letter.ts";
import { FastEcomEventReader } from "./fast-decode.ts";
import { checkRow, cleanStrings, rowFromEvent } from "./transform.ts";

/** One consumed batch, split into rows for the sink (in columns) and dead letters. */
export interface DecodedBatch {
  rows: RowColumns;
  deadLetters: DeadLetter[];
  /** Payload bytes, for the flush-by-bytes policy and MB/s. */
  bytes: number;
}

type SchemaRoute = "fast" | "resolve" | UnknownSchemaIdError | WireFormatError;

/**
 * Confluent wire format → raw rows, in columns (see RowColumns). Each schema id's writer schema
 * is fetched once: when it is our schema (same canonical fingerprint) the hand-written reader
 * decodes it; any other compatible writer schema is resolved to ours by avsc (added fields with
 * defaults, promotions). An unknown id, an unresolvable schema, a bad frame or body, or a row
 * that fails the checks becomes a dead letter with the reason; an unreachable registry is an
 * error that stops the consumer before any offset moves.
 */
export class MessageDecoder {
  private readonly routes = new Map<number, SchemaRoute>();
  private readonly resolver = new EcomEventDecoder();
  private readonly fast = new FastEcomEventReader();
  private readonly ourFingerprint = ecomEventType().fingerprint("sha256").toString("hex");

  constructor(private readonly registry: SchemaRegistryClient) {}

  async decode(batch: MessageBatch, ingestedAt: number): Promise<DecodedBatch> {
    await this.learnSchemas(batch);
    const deadLetters: DeadLetter[] = [];
    const buffer = batch.buffer;
    // Every value of the batch is a slice of one buffer: the rows' strings point into it.
    const rows = new RowColumnsBuilder(batch.length, buffer);
    let bytes = 0;
    for (let i = 0; i < batch.length; i++) {
      const start = batch.valueStart(i);
      const length = batch.valueLength(i);
      bytes += Math.max(length, 0);
      if (length < HEADER_BYTES) {
        deadLetters.push({ message: batch.message(i), kind: "too-short", reason: `value has ${Math.max(length, 0)} bytes; a framed Avro message has at least ${HEADER_BYTES}` });
        continue;
      }
      if (buffer[start] !== MAGIC_BYTE) {
        deadLetters.push({ message: batch.message(i), kind: "wrong-magic-byte", reason: `first byte is ${buffer[start]}, expected the Confluent magic byte 0` });
        continue;
      }
      const schemaId = readSchemaId(buffer, start);
      const route = this.routes.get(schemaId)!;
      if (route instanceof Error) {
        deadLetters.push({ message: batch.message(i), kind: "unknown-schema-id", reason: route.message });
        continue;
      }
      let problem: string | null;
      try {
        if (route === "fast") {
          problem = this.fast.read(rows, start + HEADER_BYTES, start + length, batch.partition(i), batch.offset(i), ingestedAt);
        } else {
          const row = rowFromEvent(this.resolver.decode(batch.value(i)!).event, batch.partition(i), batch.offset(i), ingestedAt);
          cleanStrings(row);
          problem = checkRow(row);
          if (problem === null) rows.addRow(row);
        }
      } catch (error) {
        deadLetters.push({ message: batch.message(i), kind: "undecodable-avro", reason: `Avro body does not match schema ${schemaId}: ${(error as Error).message}` });
        continue;
      }
      if (problem !== null) deadLetters.push({ message: batch.message(i), kind: "invalid-event", reason: problem });
    }
    return { rows: rows.finish(), deadLetters, bytes };
  }

  private async learnSchemas(batch: MessageBatch): Promise<void> {
    let last = -1;
    for (let i = 0; i < batch.length; i++) {
      const start = batch.valueStart(i);
      if (batch.valueLength(i) < HEADER_BYTES || batch.buffer[start] !== MAGIC_BYTE) continue;
      const id = readSchemaId(batch.buffer, start);
      if (id === last) continue;
      last = id;
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
