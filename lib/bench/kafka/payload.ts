/**
 * The bytes every tool sends. rdkafka_performance can only repeat one pattern and Java's
 * ProducerPerformance picks payloads from a file, so the common ground is one fixed payload per
 * size, sent as every message's value by all three tools: upper-case letters from a seeded
 * generator (like Java's own --record-size payloads, but the same every run).
 */
export function payload(size: number, seed = 0x9e3779b9): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = (seed ^ size) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    // xorshift32: deterministic across runs and machines.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[i] = 65 + (state % 26);
  }
  return bytes;
}

/**
 * `count` distinct user-id-like keys ("512000000", "512000001", …) as the pipeline sends them
 * (key = user_id as UTF-8), packed with their offsets for Producer.produceBatch.
 */
export function packedKeys(count: number): { keys: Uint8Array; keyOffsets: Uint32Array } {
  const encoder = new TextEncoder();
  const text = Array.from({ length: count }, (_, i) => String(512_000_000 + i)).join("");
  const keyOffsets = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) keyOffsets[i + 1] = keyOffsets[i]! + String(512_000_000 + i).length;
  return { keys: encoder.encode(text), keyOffsets };
}
