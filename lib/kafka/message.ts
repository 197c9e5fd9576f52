import {
  rd, read, ptr, cstr, readCString, readInt64, writeU64, copyFromNative, pointerAt, toArrayBuffer, MESSAGE, MSG_F_COPY, VTYPE, VU,
  type Pointer,
} from "./ffi.ts";
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

const topicNames = new Map<number, string>();

/** A per-message consumer error (e.g. a partition EOF or an unknown topic), not data. */
export interface MessageError {
  code: number;
  text: string;
  topic: string | null;
  partition: number;
}

function topicName(rkt: number): string | null {
  if (!rkt) return null;
  let name = topicNames.get(rkt);
  if (name === undefined) {
    name = String(rd().rd_kafka_topic_name(rkt as unknown as Pointer));
    topicNames.set(rkt, name);
  }
  return name;
}

const outWords = new Uint32Array(6);

/** Reads a native message's headers (the DLQ carries its reasons there). */
function readHeaders(message: Pointer): Record<string, string> {
  const lib = rd();
  const headers: Record<string, string> = {};
  if (lib.rd_kafka_message_headers(message, outWords) !== 0) return headers;
  const list = pointerAt(outWords, 0) as unknown as Pointer;
  for (let i = 0; ; i++) {
    // out: name (const char *), value (const void *), size (size_t)
    const nameOut = outWords.subarray(0, 2);
    const valueOut = outWords.subarray(2, 4);
    const sizeOut = outWords.subarray(4, 6);
    if (lib.rd_kafka_header_get_all(list, i, nameOut, valueOut, sizeOut) !== 0) break;
    const name = readCString(pointerAt(nameOut, 0))!;
    const value = pointerAt(valueOut, 0);
    const size = pointerAt(sizeOut, 0);
    headers[name] = value ? Buffer.from(toArrayBuffer(value as unknown as Pointer, 0, size)).toString("utf8") : "";
  }
  return headers;
}

/**
 * Copies `count` native messages (pointers in `words`) into JS objects — keys and values into
 * one fresh buffer, so they stay valid after the call — then destroys the native messages
 * (unless `destroy` is false: messages of an event belong to the event).
 * Message-level errors come back separately: they are consumer events, not data.
 */
export function takeMessages(
  words: Uint32Array,
  count: number,
  withHeaders = false,
  destroy = true,
): { messages: ConsumedMessage[]; errors: MessageError[] } {
  const lib = rd();
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const m = pointerAt(words, i) as unknown as Pointer;
    bytes += read.u32(m, MESSAGE.len) + read.u32(m, MESSAGE.keyLen);
  }
  const arena = new Uint8Array(Math.max(bytes, 1));
  const messages: ConsumedMessage[] = [];
  const errors: MessageError[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const m = pointerAt(words, i) as unknown as Pointer;
    const err = read.i32(m, MESSAGE.err);
    const topic = topicName(read.ptr(m, MESSAGE.rkt));
    const partition = read.i32(m, MESSAGE.partition);
    const len = read.u32(m, MESSAGE.len);
    const payload = read.ptr(m, MESSAGE.payload);
    if (err !== 0) {
      // On error messages librdkafka puts the error string in the payload.
      const text = payload ? Buffer.from(toArrayBuffer(payload as unknown as Pointer, 0, len)).toString("utf8") : "";
      errors.push({ code: err, text, topic, partition });
      if (destroy) lib.rd_kafka_message_destroy(m);
      continue;
    }
    const keyLen = read.u32(m, MESSAGE.keyLen);
    const keyPtr = read.ptr(m, MESSAGE.key);
    let key: Uint8Array | null = null;
    if (keyPtr) {
      copyFromNative(arena, at, keyPtr, keyLen);
      key = arena.subarray(at, (at += keyLen));
    }
    let value: Uint8Array | null = null;
    if (payload) {
      copyFromNative(arena, at, payload, len);
      value = arena.subarray(at, (at += len));
    }
    const message: ConsumedMessage = {
      topic: topic!,
      partition,
      offset: readInt64(m, MESSAGE.offset),
      timestamp: lib.rd_kafka_message_timestamp(m, null),
      key,
      value,
    };
    if (withHeaders) message.headers = readHeaders(m);
    messages.push(message);
    if (destroy) lib.rd_kafka_message_destroy(m);
  }
  return { messages, errors };
}
