import { rd, ptr, cstr, writeU64, MSG_F_COPY, VTYPE, VU, type Pointer } from "./ffi.ts";
import type { PackedMessages } from "./producer.ts";

/** A message to produce, given as objects (the slow, convenient path; see PackedMessages). */
export interface OutgoingMessage {
  /** `null`/absent: no key. A string is sent as UTF-8. */
  key?: Uint8Array | string | null;
  value: Uint8Array | string | null;
  opaque?: number;
}

/**
 * A consumed message. `key` and `value` are copies that belong to the caller (slices of one
 * buffer per batch), valid after the next consume call; the native message is already freed.
 */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: number;
  /** Milliseconds since the epoch (CreateTime or LogAppendTime), -1 if unknown. */
  timestamp: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  /** Only when the consumer was created with `headers: true`. */
  headers?: Record<string, string>;
}

const encoder = new TextEncoder();
const asBytes = (v: Uint8Array | string) => (typeof v === "string" ? encoder.encode(v) : v);

/** Packs object messages into the layout `Producer.produceBatch` hands to librdkafka. */
export function encodeProduceArgs(messages: OutgoingMessage[]): PackedMessages {
  const count = messages.length;
  const keys = messages.map((m) => (m.key == null ? null : asBytes(m.key)));
  const values = messages.map((m) => (m.value == null ? new Uint8Array(0) : asBytes(m.value)));
  if (keys.some((k) => k === null) && keys.some((k) => k !== null)) {
    throw new TypeError("a batch has keys on all messages or on none (send the others separately)");
  }
  const hasKeys = count > 0 && keys[0] !== null;
  const valueOffsets = new Uint32Array(count + 1);
  const keyOffsets = hasKeys ? new Uint32Array(count + 1) : null;
  for (let i = 0; i < count; i++) {
    valueOffsets[i + 1] = valueOffsets[i]! + values[i]!.length;
    if (keyOffsets) keyOffsets[i + 1] = keyOffsets[i]! + keys[i]!.length;
  }
  const packedValues = new Uint8Array(valueOffsets[count]!);
  values.forEach((v, i) => packedValues.set(v, valueOffsets[i]!));
  let packedKeys: Uint8Array | null = null;
  if (keyOffsets) {
    packedKeys = new Uint8Array(keyOffsets[count]!);
    keys.forEach((k, i) => packedKeys!.set(k!, keyOffsets[i]!));
  }
  return {
    count,
    values: packedValues,
    valueOffsets,
    keys: packedKeys,
    keyOffsets,
    opaques: messages.some((m) => m.opaque !== undefined) ? Float64Array.from(messages, (m, i) => m.opaque ?? i) : undefined,
  };
}

/** Messages [start, start + count) of `batch` as a batch of their own, over the same buffers (views, no copy). */
export function slicePacked(batch: PackedMessages, start: number, count: number): PackedMessages {
  return {
    count,
    values: batch.values,
    valueOffsets: batch.valueOffsets.subarray(start, start + count + 1),
    keys: batch.keys,
    keyOffsets: batch.keyOffsets?.subarray(start, start + count + 1) ?? null,
    opaques: batch.opaques?.subarray(start, start + count),
  };
}

/**
 * One rd_kafka_produceva call: topic, key, value, headers, F_COPY and the opaque as an array of
 * rd_kafka_vu_t. Returns the rd_kafka_resp_err_t; on success librdkafka owns the headers.
 */
export function produceVa(rk: Pointer, topic: string, message: OutgoingMessage & { headers: Record<string, string> }, opaque: number): number {
  const lib = rd();
  const headers = lib.rd_kafka_headers_new(Object.keys(message.headers).length)!;
  for (const [name, value] of Object.entries(message.headers)) {
    const bytes = asBytes(value);
    lib.rd_kafka_header_add(headers, cstr(name), -1, bytes.length ? bytes : null, bytes.length);
  }
  const topicName = cstr(topic);
  const key = message.key == null ? null : asBytes(message.key);
  const value = message.value == null ? null : asBytes(message.value);
  const entries: [number, number, number][] = [
    [VTYPE.TOPIC, ptr(topicName), 0],
    [VTYPE.MSGFLAGS, MSG_F_COPY, 0],
    [VTYPE.OPAQUE, opaque, 0],
    [VTYPE.HEADERS, headers as unknown as number, 0],
  ];
  if (key) entries.push([VTYPE.KEY, key.length ? ptr(key) : 0, key.length]);
  if (value) entries.push([VTYPE.VALUE, value.length ? ptr(value) : 0, value.length]);
  const vus = new Uint32Array((entries.length * VU.size) / 4);
  entries.forEach(([vtype, first, second], i) => {
    const w = (i * VU.size) / 4;
    vus[w] = vtype;
    writeU64(vus, w + VU.value / 4, first);
    writeU64(vus, w + VU.value2 / 4, second);
  });
  const error = lib.rd_kafka_produceva(rk, vus, entries.length);
  if (!error) return 0;
  lib.rd_kafka_headers_destroy(headers);
  const code = lib.rd_kafka_error_code(error);
  lib.rd_kafka_error_destroy(error);
  // Keep the buffers alive until librdkafka copied them.
  void [topicName, key, value];
  return code;
}
