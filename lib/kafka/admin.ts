import {
  rd, read, cstr, readCString, pointerAt, writeU64, int64At, errstrBuffer, errstrText, NULL, METADATA, EVENT,
  ADMIN_OP_CREATETOPICS, ADMIN_OP_DELETETOPICS, RD_KAFKA_PRODUCER, type Pointer,
} from "./ffi.ts";
import { buildConf, newHandle, type KafkaConfig } from "./config.ts";
import { ClientClosedError, ErrorCode, KafkaError } from "./errors.ts";
import { drainQueue } from "./events.ts";
import { logFromEvent } from "./log.ts";

/** A topic to create: partitions, replication factor and topic-level configs. */
export interface NewTopic {
  name: string;
  partitions: number;
  replicationFactor?: number;
  config?: Record<string, string>;
}

export interface TopicMetadata {
  name: string;
  partitions: { id: number; leader: number; replicas: number; isrs: number; error: number }[];
  /** rd_kafka_resp_err_t for the topic (e.g. UNKNOWN_TOPIC_OR_PART), 0 if fine. */
  error: number;
}

export interface ClusterMetadata {
  brokers: { id: number; host: string; port: number }[];
  topics: TopicMetadata[];
  originatingBroker: { id: number; name: string };
}

/** Outcome of creating one topic: `created`, or `exists` (not an error: creation is idempotent). */
export interface CreateTopicResult {
  name: string;
  status: "created" | "exists";
}

/**
 * Topic administration and cluster metadata, on its own producer-type handle (as
 * confluent-kafka-go does) or on a borrowed one (e.g. a Producer's `handle`).
 * Admin requests are asynchronous in librdkafka: results come back as events on a private
 * queue, which is polled in short non-blocking slices.
 */
export class Admin {
  private rk: Pointer | null;
  private readonly owned: boolean;

  constructor(source: { config: KafkaConfig; sources?: Record<string, string> } | { handle: Pointer }) {
    if ("handle" in source) {
      this.rk = source.handle;
      this.owned = false;
    } else {
      this.rk = newHandle(RD_KAFKA_PRODUCER, buildConf(source.config, EVENT.LOG, source.sources));
      this.owned = true;
    }
  }

  private open(): Pointer {
    if (!this.rk) throw new ClientClosedError("admin client");
    return this.rk;
  }

  /**
   * Creates topics; a topic that already exists counts as success (`status: "exists"`), so this
   * is safe to call on every start. Any other per-topic error throws, naming the topic.
   * `validateOnly` asks the controller to check the request without creating anything.
   */
  async createTopics(topics: NewTopic[], timeoutMs = 30_000, { validateOnly = false } = {}): Promise<CreateTopicResult[]> {
    const lib = rd();
    const rk = this.open();
    const errstr = errstrBuffer();
    const handles: Pointer[] = [];
    try {
      for (const topic of topics) {
        const nt = lib.rd_kafka_NewTopic_new(cstr(topic.name), topic.partitions, topic.replicationFactor ?? -1, errstr, errstr.length);
        if (!nt) throw new KafkaError(ErrorCode._FATAL, `topic ${topic.name}: ${errstrText(errstr)}`);
        handles.push(nt);
        for (const [key, value] of Object.entries(topic.config ?? {})) {
          const code = lib.rd_kafka_NewTopic_set_config(nt, cstr(key), cstr(value));
          if (code !== 0) throw new KafkaError(code, `topic ${topic.name}: config ${key}=${value}`);
        }
      }
      const results = await this.request(ADMIN_OP_CREATETOPICS, EVENT.CREATETOPICS_RESULT, timeoutMs, (array, options, queue) => {
        if (validateOnly) lib.rd_kafka_AdminOptions_set_validate_only(options, 1, errstr, errstr.length);
        lib.rd_kafka_CreateTopics(rk, array, handles.length, options, queue);
      }, handles,
        (event, count) => lib.rd_kafka_CreateTopics_result_topics(lib.rd_kafka_event_CreateTopics_result(event)!, count));
      return results.map(({ name, code, text }) => {
        if (code === ErrorCode.TOPIC_ALREADY_EXISTS) return { name, status: "exists" as const };
        if (code !== 0) throw new KafkaError(code, `cannot create topic ${name}: ${text}`);
        return { name, status: "created" as const };
      });
    } finally {
      for (const nt of handles) lib.rd_kafka_NewTopic_destroy(nt);
    }
  }

  /** Deletes topics; a topic that does not exist is not an error. */
  async deleteTopics(names: string[], timeoutMs = 30_000): Promise<void> {
    const lib = rd();
    const rk = this.open();
    const handles = names.map((name) => lib.rd_kafka_DeleteTopic_new(cstr(name))!);
    try {
      const results = await this.request(ADMIN_OP_DELETETOPICS, EVENT.DELETETOPICS_RESULT, timeoutMs, (array, options, queue) =>
        lib.rd_kafka_DeleteTopics(rk, array, handles.length, options, queue), handles,
        (event, count) => lib.rd_kafka_DeleteTopics_result_topics(lib.rd_kafka_event_DeleteTopics_result(event)!, count));
      for (const { name, code, text } of results) {
        if (code !== 0 && code !== ErrorCode.UNKNOWN_TOPIC_OR_PART) throw new KafkaError(code, `cannot delete topic ${name}: ${text}`);
      }
    } finally {
      for (const dt of handles) lib.rd_kafka_DeleteTopic_destroy(dt);
    }
  }

  /** Runs one admin request and reads its per-topic results from the result event. */
  private async request(
    op: number,
    resultType: number,
    timeoutMs: number,
    call: (array: Uint32Array, options: Pointer, queue: Pointer) => void,
    handles: Pointer[],
    topicsOf: (event: Pointer, count: Uint32Array) => Pointer | null,
  ): Promise<{ name: string; code: number; text: string }[]> {
    const lib = rd();
    const rk = this.open();
    const queue = lib.rd_kafka_queue_new(rk)!;
    const options = lib.rd_kafka_AdminOptions_new(rk, op)!;
    const errstr = errstrBuffer();
    lib.rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, errstr, errstr.length);
    lib.rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMs, errstr, errstr.length);
    const array = new Uint32Array(2 * handles.length);
    handles.forEach((h, i) => writeU64(array, 2 * i, h as unknown as number));
    try {
      call(array, options, queue);
      const deadline = performance.now() + timeoutMs + 1_000;
      for (;;) {
        const event = lib.rd_kafka_queue_poll(queue, 0);
        if (event) {
          try {
            if (lib.rd_kafka_event_type(event) !== resultType) continue;
            const requestError = lib.rd_kafka_event_error(event);
            if (requestError) throw new KafkaError(requestError, String(lib.rd_kafka_event_error_string(event)));
            const count = new Uint32Array(2);
            const list = topicsOf(event, count);
            const results: { name: string; code: number; text: string }[] = [];
            for (let i = 0; i < pointerAt(count, 0); i++) {
              const result = read.ptr(list!, i * 8) as unknown as Pointer;
              results.push({
                name: String(lib.rd_kafka_topic_result_name(result)),
                code: lib.rd_kafka_topic_result_error(result),
                text: String(lib.rd_kafka_topic_result_error_string(result) ?? ""),
              });
            }
            return results;
          } finally {
            lib.rd_kafka_event_destroy(event);
          }
        }
        if (performance.now() > deadline) throw new KafkaError(ErrorCode._TIMED_OUT, `admin request timed out after ${timeoutMs} ms`);
        await Bun.sleep(5);
      }
    } finally {
      lib.rd_kafka_AdminOptions_destroy(options);
      lib.rd_kafka_queue_destroy(queue);
    }
  }

  /**
   * Cluster metadata: brokers and topics (all, or just `topic`). This is librdkafka's blocking
   * call — it holds the JS thread for at most `timeoutMs` — so it is meant for start-up checks
   * and health probes, not hot paths. An unreachable cluster throws `_TRANSPORT`/`_TIMED_OUT`.
   */
  metadata(options: { topic?: string; timeoutMs?: number } = {}): ClusterMetadata {
    const lib = rd();
    const rk = this.open();
    const out = new Uint32Array(2);
    const rkt = options.topic ? lib.rd_kafka_topic_new(rk, cstr(options.topic), NULL) : null;
    try {
      const code = lib.rd_kafka_metadata(rk, rkt ? 0 : 1, rkt ?? NULL, out, options.timeoutMs ?? 10_000);
      if (code !== 0) {
        const cause = this.lastBrokerError();
        throw new KafkaError(code, `cannot fetch metadata: ${String(lib.rd_kafka_err2str(code))}${cause ? ` (${cause})` : ""}`);
      }
    } finally {
      if (rkt) lib.rd_kafka_topic_destroy(rkt);
    }
    const md = pointerAt(out, 0) as unknown as Pointer;
    try {
      return readMetadata(md);
    } finally {
      lib.rd_kafka_metadata_destroy(md);
    }
  }

  /**
   * The low and high watermarks of one partition, asked of its leader (blocking, at most
   * `timeoutMs`). `high - low` is how many messages it holds.
   */
  watermarks(topic: string, partition: number, timeoutMs = 10_000): { low: number; high: number } {
    const out = new Uint32Array(4);
    const code = rd().rd_kafka_query_watermark_offsets(this.open(), cstr(topic), partition, out.subarray(0, 2), out.subarray(2, 4), timeoutMs);
    if (code !== 0) throw new KafkaError(code, `cannot read the offsets of ${topic} [${partition}]`);
    return { low: int64At(out, 0), high: int64At(out, 2) };
  }

  /**
   * The most telling error librdkafka logged while a call failed ("SASL authentication error:
   * Invalid username or password" says more than "_TRANSPORT"); null when there is none.
   */
  private lastBrokerError(): string | null {
    if (!this.owned) return null;
    const lib = rd();
    const queue = lib.rd_kafka_queue_get_main(this.open())!;
    let best: string | null = null;
    try {
      drainQueue(queue, (event, type) => {
        if (type !== EVENT.LOG) return;
        const { level, message } = logFromEvent(event);
        if (level <= 3 && !/brokers are down/.test(message)) best = message.replace(/^[^ ]+: /, "");
      });
    } finally {
      lib.rd_kafka_queue_destroy(queue);
    }
    return best;
  }

  /** Frees the handle if this Admin created it. */
  close(): void {
    if (this.rk && this.owned) rd().rd_kafka_destroy(this.rk);
    this.rk = null;
  }
}

function readMetadata(md: Pointer): ClusterMetadata {
  const { broker: B, topic: T, partition: P } = METADATA;
  const brokers = [];
  const brokersPtr = read.ptr(md, METADATA.brokers);
  for (let i = 0; i < read.i32(md, METADATA.brokerCnt); i++) {
    const b = (brokersPtr + i * B.size) as unknown as Pointer;
    brokers.push({ id: read.i32(b, B.id), host: readCString(read.ptr(b, B.host))!, port: read.i32(b, B.port) });
  }
  const topics: TopicMetadata[] = [];
  const topicsPtr = read.ptr(md, METADATA.topics);
  for (let i = 0; i < read.i32(md, METADATA.topicCnt); i++) {
    const t = (topicsPtr + i * T.size) as unknown as Pointer;
    const partitionsPtr = read.ptr(t, T.partitions);
    const partitions = [];
    for (let j = 0; j < read.i32(t, T.partitionCnt); j++) {
      const p = (partitionsPtr + j * P.size) as unknown as Pointer;
      partitions.push({
        id: read.i32(p, P.id),
        leader: read.i32(p, P.leader),
        replicas: read.i32(p, P.replicaCnt),
        isrs: read.i32(p, P.isrCnt),
        error: read.i32(p, P.err),
      });
    }
    topics.push({ name: readCString(read.ptr(t, T.name))!, partitions, error: read.i32(t, T.err) });
  }
  return {
    brokers,
    topics,
    originatingBroker: { id: read.i32(md, 32), name: readCString(read.ptr(md, 40)) ?? "" },
  };
}
