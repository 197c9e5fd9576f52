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
  const values = new Uint8Array(count * size);
  const keyBytes = new Uint8Array(count * 12);
  const opaques = new Float64Array(count);
  const packed: PackedMessages = {
    count,
    values,
    valueOffsets: new Uint32Array(count + 1),
    keys: keyBytes,
    keyOffsets: new Uint32Array(count + 1),
    opaques,
  };
  for (let i = 0; i < count; i++) {
    const n = start + i;
    const key = encoder.encode(`key-${n % keys}`);
    keyBytes.set(key, packed.keyOffsets![i]!);
    packed.keyOffsets![i + 1] = packed.keyOffsets![i]! + key.length;
    values.set(encoder.encode(String(n).padStart(size, "0")), i * size);
    packed.valueOffsets[i + 1] = (i + 1) * size;
    opaques[i] = n;
  }
  return packed;
}
