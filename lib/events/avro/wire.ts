/**
 * The Confluent Schema Registry wire format: magic byte 0, the schema id as a 4-byte big-endian
 * integer, then the Avro binary body. Every Confluent client (Java, librdkafka-based, Python,
 * JS) writes and expects exactly this framing.
 */
export const MAGIC_BYTE = 0;
export const HEADER_BYTES = 5;

/** Writes the 5-byte header at `pos` of `out`; returns the position after it. */
export function writeHeader(out: Uint8Array, pos: number, schemaId: number): number {
  out[pos] = MAGIC_BYTE;
  out[pos + 1] = (schemaId >>> 24) & 0xff;
  out[pos + 2] = (schemaId >>> 16) & 0xff;
  out[pos + 3] = (schemaId >>> 8) & 0xff;
  out[pos + 4] = schemaId & 0xff;
  return pos + HEADER_BYTES;
}

/**
 * Reads the schema id of a framed message starting at `at` (the caller checked the length and
 * magic byte).
 */
export function readSchemaId(bytes: Uint8Array, at = 0): number {
  return ((bytes[at + 1] as number) * 0x1000000 + ((bytes[at + 2] as number) << 16) + ((bytes[at + 3] as number) << 8) + (bytes[at + 4] as number)) >>> 0;
}

/** Throws unless `schemaId` fits the header's unsigned 32-bit field. */
export function checkSchemaId(schemaId: number): void {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffffffff) {
    throw new RangeError(`schema id ${schemaId} must be an integer in 0..4294967295 (the registry's id)`);
  }
}
