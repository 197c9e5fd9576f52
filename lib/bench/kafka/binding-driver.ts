#!/usr/bin/env bun
/**
 * The binding's side of the Kafka benchmark, run as its own process (like the other tools, so
 * start-up, RSS and CPU are measured the same way): `bun binding-driver.ts '<DriverSpec JSON>'`.
 * Prints one DriverResult JSON line on stdout; diagnostics on stderr; exit 1 on any failure.
 */
import { Consumer } from "../../kafka/consumer.ts";
import { Producer, type PackedMessages } from "../../kafka/producer.ts";
import { BATCH_SIZE } from "./settings.ts";
import { packedKeys, payload } from "./payload.ts";

export interface DriverSpec {
  mode: "produce" | "consume";
  bootstrap: string;
  topic: string;
  messages: number;
  /** Value size in bytes (produce). */
  size: number;
  /** Produce with distinct keys (as the pipeline does) or none (as the reference tools do). */
  keys: boolean;
  /** Produce: copy the values into librdkafka (F_COPY) instead of lending them (as rdkafka_performance does). */
  copy: boolean;
  /** Consumer group (consume). */
  groupId?: string;
  /** Raw librdkafka properties on top of the binding's defaults. */
  config: Record<string, string>;
}

export interface DriverResult {
  messages: number;
  valueBytes: number;
  /** Produce: first produceBatch call to the last delivery report. Consume: first to last message. */
  elapsedMs: number;
  /** Where the JS thread spent the time (profiling aid), in ms. */
  phases: Record<string, number>;
}

/** One batch of BATCH_SIZE pre-built messages, re-sent until `messages` are out (never written to: safe to lend). */
function buildBatch(size: number, keys: boolean): PackedMessages {
  const value = payload(size);
  const values = new Uint8Array(size * BATCH_SIZE);
  const valueOffsets = new Uint32Array(BATCH_SIZE + 1);
  for (let i = 0; i < BATCH_SIZE; i++) {
    values.set(value, i * size);
    valueOffsets[i + 1] = (i + 1) * size;
  }
  const packed = keys ? packedKeys(BATCH_SIZE) : { keys: null, keyOffsets: null };
  // Constant opaques: no per-message id bookkeeping in the measured loop.
  return { count: BATCH_SIZE, values, valueOffsets, ...packed, opaques: new Uint8Array(BATCH_SIZE) };
}

async function produce(spec: DriverSpec): Promise<DriverResult> {
  const batch = buildBatch(spec.size, spec.keys);
  let failures = 0;
  let firstFailure = "";
  const producer = new Producer({
    config: { "bootstrap.servers": spec.bootstrap, ...spec.config },
    onDeliveryFailure: ({ error }) => {
      if (failures++ === 0) firstFailure = error.message;
    },
  });
  const phases = { enqueueMs: 0, pollMs: 0, flushMs: 0 };
  const started = performance.now();
  for (let sent = 0; sent < spec.messages; ) {
    const n = Math.min(BATCH_SIZE, spec.messages - sent);
    const t0 = performance.now();
    await producer.produceBatch(spec.topic, n === BATCH_SIZE ? batch : { ...batch, count: n }, { copy: spec.copy });
    const t1 = performance.now();
    producer.poll();
    phases.enqueueMs += t1 - t0;
    phases.pollMs += performance.now() - t1;
    sent += n;
  }
  const flushStarted = performance.now();
  const pending = await producer.flush(120_000);
  const ended = performance.now();
  phases.flushMs = ended - flushStarted;
  await producer.close();
  if (pending > 0 || failures > 0 || producer.delivered !== spec.messages) {
    throw new Error(`${producer.delivered} of ${spec.messages} delivered, ${failures} failed${firstFailure ? ` (first: ${firstFailure})` : ""}, ${pending} pending`);
  }
  return { messages: producer.delivered, valueBytes: producer.delivered * spec.size, elapsedMs: ended - started, phases };
}

async function consume(spec: DriverSpec): Promise<DriverResult> {
  const consumer = new Consumer({
    config: { "bootstrap.servers": spec.bootstrap, "group.id": spec.groupId ?? `bench-${process.pid}`, ...spec.config },
    reuseBuffers: true,
    onError: (error) => console.error(`consumer: ${"message" in error ? error.message : error.text}`),
  });
  const subscribed = performance.now();
  consumer.subscribe([spec.topic]);
  const phases = { untilFirstMs: 0, consumeCallMs: 0, batches: 0 };
  let received = 0;
  let valueBytes = 0;
  let first = 0;
  let last = 0;
  let lastProgress = performance.now();
  while (received < spec.messages) {
    const t0 = performance.now();
    // The flat batch the pipeline consumes: bytes copied into one JS buffer, no object per message.
    const messages = await consumer.consumeMessageBatch(Math.min(BATCH_SIZE, spec.messages - received), 1_000);
    const t1 = performance.now();
    if (messages.length === 0) {
      if (t1 - lastProgress > 30_000) throw new Error(`no message for 30 s after ${received} of ${spec.messages}`);
      continue;
    }
    if (first === 0) {
      first = t1;
      phases.untilFirstMs = t1 - subscribed;
    } else phases.consumeCallMs += t1 - t0;
    phases.batches++;
    for (let i = 0; i < messages.length; i++) valueBytes += Math.max(0, messages.valueLength(i));
    received += messages.length;
    last = lastProgress = t1;
  }
  await consumer.close();
  return { messages: received, valueBytes, elapsedMs: last - first, phases };
}

if (import.meta.main) {
  try {
    const spec = JSON.parse(process.argv[2] ?? "") as DriverSpec;
    const result = spec.mode === "produce" ? await produce(spec) : await consume(spec);
    console.log(JSON.stringify(result));
  } catch (error) {
    console.error(`binding driver: ${(error as Error).message}`);
    process.exit(1);
  }
}
