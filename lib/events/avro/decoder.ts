import avro from "avsc";
import type { EcomEvent } from "../event.ts";
import { avroType, ecomEventType } from "./schema.ts";
import { HEADER_BYTES, MAGIC_BYTE, readSchemaId } from "./wire.ts";

/** A Kafka value that is not a decodable Confluent-framed EcomEvent; `code` says which way. */
export class WireFormatError extends Error {
  constructor(
    readonly code: "TOO_SHORT" | "BAD_MAGIC" | "UNKNOWN_SCHEMA" | "BAD_BODY",
    message: string,
    readonly schemaId: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "WireFormatError";
  }
}

/** Fewer than the 5 header bytes (an empty value, a tombstone, a truncated message). */
export class MessageTooShortError extends WireFormatError {
  constructor(length: number) {
    super("TOO_SHORT", `message is ${length} bytes; a Confluent-framed Avro value has at least ${HEADER_BYTES} (magic byte + schema id)`);
    this.name = "MessageTooShortError";
  }
}

/** First byte is not 0: not written by a Schema Registry serializer (plain JSON, raw Avro, …). */
export class BadMagicByteError extends WireFormatError {
  constructor(readonly magic: number) {
    super("BAD_MAGIC", `magic byte is ${magic}, expected ${MAGIC_BYTE}: the value was not written with the Schema Registry wire format`);
    this.name = "BadMagicByteError";
  }
}

/** The writer schema of this id was not given to the decoder (fetch it from the registry, then `addSchema`). */
export class UnknownSchemaIdError extends WireFormatError {
  constructor(schemaId: number) {
    super("UNKNOWN_SCHEMA", `schema id ${schemaId} is unknown to the decoder; fetch it from the registry first`, schemaId);
    this.name = "UnknownSchemaIdError";
  }
}

/** The Avro body does not decode with its writer schema (truncated, trailing bytes, garbage). */
export class UndecodableBodyError extends WireFormatError {
  constructor(schemaId: number, detail: string, cause?: unknown) {
    super("BAD_BODY", `cannot decode the Avro body (schema id ${schemaId}): ${detail}`, schemaId, { cause });
    this.name = "UndecodableBodyError";
  }
}

/** What one message decodes to. */
export interface DecodedMessage {
  schemaId: number;
  event: EcomEvent;
}

/** avsc's resolver class is not exported by its typings. */
type Resolver = ReturnType<avro.Type["createResolver"]>;

interface Reader {
  type: avro.Type;
  resolver: Resolver | undefined;
}

/**
 * Decodes Confluent-framed Avro values into EcomEvents, synchronously. Writer schemas are
 * looked up by the id in each message and must have been added beforehand (the consumer fetches
 * an unseen id from the registry once, then everything is local): a writer schema other than
 * ours is resolved to ours with Avro's schema-resolution rules (added fields with defaults,
 * promoted types), so an evolved producer does not stop the consumer. Errors are typed
 * (WireFormatError subclasses) so the consumer can send the message to the dead-letter topic
 * with the reason.
 */
export class EcomEventDecoder {
  private readonly readers = new Map<number, Reader>();
  private readonly readerType: avro.Type;
  private readonly readerFingerprint: string;

  constructor(readerType: avro.Type = ecomEventType()) {
    this.readerType = readerType;
    this.readerFingerprint = readerType.fingerprint("sha256").toString("hex");
  }

  /** True when `addSchema` was called for this id. */
  has(schemaId: number): boolean {
    return this.readers.has(schemaId);
  }

  /**
   * Registers the writer schema of `schemaId` (as the registry returns it). Throws when it cannot
   * be resolved to EcomEvent (an incompatible change: a message written with it could never be
   * read as an event).
   */
  addSchema(schemaId: number, writerSchema: string | avro.Schema): void {
    const writer = avroType(writerSchema);
    if (writer.fingerprint("sha256").toString("hex") === this.readerFingerprint) {
      this.readers.set(schemaId, { type: this.readerType, resolver: undefined });
      return;
    }
    let resolver: Resolver;
    try {
      resolver = this.readerType.createResolver(writer);
    } catch (e) {
      throw new WireFormatError("UNKNOWN_SCHEMA", `schema id ${schemaId} cannot be read as EcomEvent: ${(e as Error).message}`, schemaId, { cause: e });
    }
    this.readers.set(schemaId, { type: this.readerType, resolver });
  }

  /** The schema id of a framed message, checking length and magic byte. */
  schemaIdOf(bytes: Uint8Array): number {
    if (bytes.length < HEADER_BYTES) throw new MessageTooShortError(bytes.length);
    if (bytes[0] !== MAGIC_BYTE) throw new BadMagicByteError(bytes[0] as number);
    return readSchemaId(bytes);
  }

  /** Decodes one message. Throws a WireFormatError subclass when it cannot. */
  decode(bytes: Uint8Array): DecodedMessage {
    const schemaId = this.schemaIdOf(bytes);
    const reader = this.readers.get(schemaId);
    if (reader === undefined) throw new UnknownSchemaIdError(schemaId);
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let decoded: { value: unknown; offset: number };
    try {
      decoded = reader.type.decode(buf, HEADER_BYTES, reader.resolver);
    } catch (e) {
      throw new UndecodableBodyError(schemaId, (e as Error).message, e);
    }
    if (decoded.offset < 0) throw new UndecodableBodyError(schemaId, "the body ends before the record does (truncated)");
    if (decoded.offset !== bytes.length) {
      throw new UndecodableBodyError(schemaId, `${bytes.length - decoded.offset} bytes left after the record (wrong schema or corrupt)`);
    }
    return { schemaId, event: decoded.value as EcomEvent };
  }
}
