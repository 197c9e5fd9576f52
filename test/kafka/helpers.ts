import { Admin } from "../../lib/kafka/admin.ts";
import type { PackedMessages } from "../../lib/kafka/producer.ts";
import { testStack } from "../support/stack.ts";

/** A topic name no other test uses. */
export const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Creates a fresh topic on the test broker and returns its name and the bootstrap address. */
export async function freshTopic(prefix: string, partitions = 6): Promise<{ topic: string; bootstrap: string }> {
  const { bootstrap } = await testStack();
  const topic = uniqueName(prefix);
  const admin = new Admin({ config: { "bootstrap.servers": bootstrap } });
  try {
    await admin.createTopics([{ name: topic, partitions, replicationFactor: 1 }]);
  } finally {
    admin.close();
  }
  return { topic, bootstrap };
}

/**
 * `count` messages whose key is `key-<i % keys>` and whose value is `<i>` padded to `size`
 * bytes, packed for Producer.produceBatch; opaques are the message numbers.
 */
export function packedMessages(start: number, count: number, keys = 1000, size = 100): PackedMessages {
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(count * (size + 16));
  const packed: PackedMessages = {
    count,
    buffer,
    valueOffsets: new Uint32Array(count),
    valueLengths: new Uint32Array(count),
    keyOffsets: new Uint32Array(count),
    keyLengths: new Int32Array(count),
    opaques: new Float64Array(count),
  };
  let at = 0;
  for (let i = 0; i < count; i++) {
    const n = start + i;
    const key = encoder.encode(`key-${n % keys}`);
    buffer.set(key, at);
    packed.keyOffsets[i] = at;
    packed.keyLengths[i] = key.length;
    at += key.length;
    const value = encoder.encode(String(n).padStart(size, "0"));
    buffer.set(value, at);
    packed.valueOffsets[i] = at;
    packed.valueLengths[i] = value.length;
    at += value.length;
    packed.opaques![i] = n;
  }
  return packed;
}
