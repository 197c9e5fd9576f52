import { describe, expect, it } from "bun:test";
import {
  BadMagicByteError,
  EcomEventDecoder,
  MessageTooShortError,
  UndecodableBodyError,
  UnknownSchemaIdError,
  WireFormatError,
} from "../../../lib/events/avro/decoder.ts";
import { EcomEventEncoder } from "../../../lib/events/avro/encoder.ts";
import { avroType, ecomEventSchemaText } from "../../../lib/events/avro/schema.ts";
import { writeHeader } from "../../../lib/events/avro/wire.ts";
import { EDGE_EVENTS, sampleEvents } from "./sample-events.ts";

const plain = (e: unknown) => JSON.parse(JSON.stringify(e));

function decoderWith(id = 7): EcomEventDecoder {
  const d = new EcomEventDecoder();
  d.addSchema(id, ecomEventSchemaText());
  return d;
}

describe("EcomEventDecoder", () => {
  it("round-trips what the encoder writes", () => {
    const decoder = decoderWith(7);
    const encoder = new EcomEventEncoder(7);
    for (const e of sampleEvents(200)) {
      const { schemaId, event } = decoder.decode(encoder.encode(e));
      expect(schemaId).toBe(7);
      expect(plain(event)).toEqual(plain(e));
    }
  });

  it("gives typed errors for short messages, wrong magic bytes and unknown ids", () => {
    const decoder = decoderWith(7);
    const message = new EcomEventEncoder(7).encode(EDGE_EVENTS[3]!);
    const attempt = (bytes: Uint8Array) => {
      try {
        decoder.decode(bytes);
      } catch (e) {
        return e;
      }
      throw new Error("decoded");
    };
    expect(attempt(new Uint8Array(0))).toBeInstanceOf(MessageTooShortError);
    expect(attempt(message.subarray(0, 4))).toBeInstanceOf(MessageTooShortError);
    const json = new TextEncoder().encode('{"event_type":"view"}');
    const magic = attempt(json) as BadMagicByteError;
    expect(magic).toBeInstanceOf(BadMagicByteError);
    expect(magic.magic).toBe(123);
    const other = message.slice();
    writeHeader(other, 0, 8);
    const unknown = attempt(other) as UnknownSchemaIdError;
    expect(unknown).toBeInstanceOf(UnknownSchemaIdError);
    expect(unknown.schemaId).toBe(8);
    expect(unknown.code).toBe("UNKNOWN_SCHEMA");
  });

  it("refuses truncated bodies, trailing bytes and garbage", () => {
    const decoder = decoderWith(7);
    const message = new EcomEventEncoder(7).encode(EDGE_EVENTS[3]!);
    const bad = [
      message.subarray(0, message.length - 3),
      new Uint8Array([...message, 0, 0]),
      new Uint8Array([0, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
      new Uint8Array([0, 0, 0, 0, 7]),
    ];
    for (const bytes of bad) {
      let err: unknown;
      try {
        decoder.decode(bytes);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UndecodableBodyError);
      expect((err as WireFormatError).code).toBe("BAD_BODY");
    }
  });

  it("reads messages of an evolved writer schema into EcomEvent", () => {
    const evolved = JSON.parse(ecomEventSchemaText());
    evolved.fields.push({ name: "referrer", type: ["null", "string"], default: null });
    const writer = avroType(evolved);
    const e = { ...EDGE_EVENTS[3]!, referrer: "ads" };
    const bytes = new Uint8Array(5 + writer.toBuffer(e).length);
    writeHeader(bytes, 0, 9);
    bytes.set(writer.toBuffer(e), 5);
    const decoder = decoderWith(7);
    expect(decoder.has(9)).toBe(false);
    decoder.addSchema(9, evolved);
    expect(plain(decoder.decode(bytes).event)).toEqual(plain(EDGE_EVENTS[3]!));
  });

  it("refuses a writer schema that cannot become an EcomEvent", () => {
    const decoder = new EcomEventDecoder();
    const incompatible = JSON.stringify({ type: "record", name: "EcomEvent", namespace: "com.ecom.events", fields: [{ name: "x", type: "int" }] });
    expect(() => decoder.addSchema(3, incompatible)).toThrow("schema id 3 cannot be read as EcomEvent");
  });
});
