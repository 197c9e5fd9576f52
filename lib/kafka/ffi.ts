/**
 * The only file that touches bun:ffi: finds librdkafka, declares the C symbols the binding uses
 * and the struct layouts it reads. Everything else in lib/kafka speaks TypeScript types.
 *
 * Struct layouts live in layout.ts (re-exported here).
 */
import { cc, dlopen, FFIType, ptr, read, toArrayBuffer, CString, type Pointer } from "bun:ffi";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../paths.ts";

export { ptr, read, toArrayBuffer, type Pointer };
export * from "./layout.ts";

const { ptr: P, i32, i64_fast, u64_fast, cstring, void: VOID } = FFIType;

const symbols = {
  rd_kafka_version: { args: [], returns: i32 },
  rd_kafka_version_str: { args: [], returns: cstring },
  rd_kafka_err2str: { args: [i32], returns: cstring },
  rd_kafka_err2name: { args: [i32], returns: cstring },
  rd_kafka_fatal_error: { args: [P, P, u64_fast], returns: i32 },

  rd_kafka_conf_new: { args: [], returns: P },
  rd_kafka_conf_set: { args: [P, P, P, P, u64_fast], returns: i32 },
  rd_kafka_conf_set_events: { args: [P, i32], returns: VOID },
  rd_kafka_conf_destroy: { args: [P], returns: VOID },

  rd_kafka_new: { args: [i32, P, P, u64_fast], returns: P },
  rd_kafka_destroy: { args: [P], returns: VOID },
  rd_kafka_name: { args: [P], returns: cstring },
  rd_kafka_memberid: { args: [P], returns: P },
  rd_kafka_mem_free: { args: [P, P], returns: VOID },

  rd_kafka_queue_get_main: { args: [P], returns: P },
  rd_kafka_queue_get_consumer: { args: [P], returns: P },
  rd_kafka_queue_get_partition: { args: [P, P, i32], returns: P },
  rd_kafka_queue_new: { args: [P], returns: P },
  rd_kafka_queue_forward: { args: [P, P], returns: VOID },
  rd_kafka_queue_destroy: { args: [P], returns: VOID },
  rd_kafka_queue_poll: { args: [P, i32], returns: P },
  rd_kafka_queue_length: { args: [P], returns: u64_fast },

  rd_kafka_event_type: { args: [P], returns: i32 },
  rd_kafka_event_message_array: { args: [P, P, u64_fast], returns: u64_fast },
  rd_kafka_event_message_count: { args: [P], returns: u64_fast },
  rd_kafka_event_error: { args: [P], returns: i32 },
  rd_kafka_event_error_string: { args: [P], returns: cstring },
  rd_kafka_event_error_is_fatal: { args: [P], returns: i32 },
  rd_kafka_event_stats: { args: [P], returns: cstring },
  rd_kafka_event_topic_partition_list: { args: [P], returns: P },
  rd_kafka_event_destroy: { args: [P], returns: VOID },
  rd_kafka_event_log: { args: [P, P, P, P], returns: i32 },
  rd_kafka_set_log_queue: { args: [P, P], returns: i32 },

  rd_kafka_error_code: { args: [P], returns: i32 },
  rd_kafka_error_string: { args: [P], returns: cstring },
  rd_kafka_error_is_fatal: { args: [P], returns: i32 },
  rd_kafka_error_is_retriable: { args: [P], returns: i32 },
  rd_kafka_error_destroy: { args: [P], returns: VOID },

  rd_kafka_topic_new: { args: [P, P, P], returns: P },
  rd_kafka_topic_destroy: { args: [P], returns: VOID },
  rd_kafka_topic_name: { args: [P], returns: cstring },

  // librdkafka's own partitioners, by their `partitioner` names: the glue predicts with them.
  rd_kafka_msg_partitioner_consistent: { args: [P, P, u64_fast, i32, P, P], returns: i32 },
  rd_kafka_msg_partitioner_consistent_random: { args: [P, P, u64_fast, i32, P, P], returns: i32 },
  rd_kafka_msg_partitioner_murmur2: { args: [P, P, u64_fast, i32, P, P], returns: i32 },
  rd_kafka_msg_partitioner_murmur2_random: { args: [P, P, u64_fast, i32, P, P], returns: i32 },
  rd_kafka_msg_partitioner_fnv1a: { args: [P, P, u64_fast, i32, P, P], returns: i32 },
  rd_kafka_msg_partitioner_fnv1a_random: { args: [P, P, u64_fast, i32, P, P], returns: i32 },

  rd_kafka_produce_batch: { args: [P, i32, i32, P, i32], returns: i32 },
  rd_kafka_produceva: { args: [P, P, u64_fast], returns: P },
  rd_kafka_flush: { args: [P, i32], returns: i32 },
  rd_kafka_outq_len: { args: [P], returns: i32 },
  rd_kafka_headers_new: { args: [u64_fast], returns: P },
  rd_kafka_headers_destroy: { args: [P], returns: VOID },
  rd_kafka_header_add: { args: [P, P, i64_fast, P, i64_fast], returns: i32 },
  rd_kafka_message_headers: { args: [P, P], returns: i32 },
  rd_kafka_header_get_all: { args: [P, u64_fast, P, P, P], returns: i32 },

  rd_kafka_subscribe: { args: [P, P], returns: i32 },
  rd_kafka_poll_set_consumer: { args: [P], returns: i32 },
  rd_kafka_consume_batch_queue: { args: [P, i32, P, u64_fast], returns: i64_fast },
  rd_kafka_message_destroy: { args: [P], returns: VOID },
  rd_kafka_message_timestamp: { args: [P, P], returns: i64_fast },
  rd_kafka_assign: { args: [P, P], returns: i32 },
  rd_kafka_incremental_assign: { args: [P, P], returns: P },
  rd_kafka_incremental_unassign: { args: [P, P], returns: P },
  rd_kafka_rebalance_protocol: { args: [P], returns: cstring },
  rd_kafka_assignment_lost: { args: [P], returns: i32 },
  rd_kafka_offsets_store: { args: [P, P], returns: i32 },
  rd_kafka_commit: { args: [P, P, i32], returns: i32 },
  rd_kafka_committed: { args: [P, P, i32], returns: i32 },
  rd_kafka_get_watermark_offsets: { args: [P, P, i32, P, P], returns: i32 },
  rd_kafka_query_watermark_offsets: { args: [P, P, i32, P, P, i32], returns: i32 },
  rd_kafka_consumer_close_queue: { args: [P, P], returns: P },
  rd_kafka_consumer_closed: { args: [P], returns: i32 },

  rd_kafka_topic_partition_list_new: { args: [i32], returns: P },
  rd_kafka_topic_partition_list_add: { args: [P, P, i32], returns: P },
  rd_kafka_topic_partition_list_destroy: { args: [P], returns: VOID },
  rd_kafka_topic_partition_list_set_offset: { args: [P, P, i32, i64_fast], returns: i32 },

  rd_kafka_metadata: { args: [P, i32, P, P, i32], returns: i32 },
  rd_kafka_metadata_destroy: { args: [P], returns: VOID },

  rd_kafka_AdminOptions_new: { args: [P, i32], returns: P },
  rd_kafka_AdminOptions_set_request_timeout: { args: [P, i32, P, u64_fast], returns: i32 },
  rd_kafka_AdminOptions_set_operation_timeout: { args: [P, i32, P, u64_fast], returns: i32 },
  rd_kafka_AdminOptions_set_validate_only: { args: [P, i32, P, u64_fast], returns: i32 },
  rd_kafka_AdminOptions_destroy: { args: [P], returns: VOID },
  rd_kafka_NewTopic_new: { args: [P, i32, i32, P, u64_fast], returns: P },
  rd_kafka_NewTopic_set_config: { args: [P, P, P], returns: i32 },
  rd_kafka_NewTopic_destroy: { args: [P], returns: VOID },
  rd_kafka_CreateTopics: { args: [P, P, u64_fast, P, P], returns: VOID },
  rd_kafka_event_CreateTopics_result: { args: [P], returns: P },
  rd_kafka_CreateTopics_result_topics: { args: [P, P], returns: P },
  rd_kafka_DeleteTopic_new: { args: [P], returns: P },
  rd_kafka_DeleteTopic_destroy: { args: [P], returns: VOID },
  rd_kafka_DeleteTopics: { args: [P, P, u64_fast, P, P], returns: VOID },
  rd_kafka_event_DeleteTopics_result: { args: [P], returns: P },
  rd_kafka_DeleteTopics_result_topics: { args: [P, P], returns: P },
  rd_kafka_topic_result_error: { args: [P], returns: i32 },
  rd_kafka_topic_result_error_string: { args: [P], returns: cstring },
  rd_kafka_topic_result_name: { args: [P], returns: cstring },
} as const;

/** Oldest librdkafka whose producer/consumer features (KIP-848 era, Kafka 4 support) we rely on. */
export const MIN_VERSION = 0x020a0000;
const versionName = (v: number) => `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}`;

/** Thrown when no usable librdkafka can be loaded; says every path tried and what was found. */
export class LibrdkafkaNotFoundError extends Error {
  constructor(readonly tried: string[]) {
    super(
      `cannot load librdkafka ≥ ${versionName(MIN_VERSION)}. Tried:\n  ${tried.join("\n  ")}\n` +
        "Run `just setup` (builds it into .local/librdkafka) or set LIBRDKAFKA_PATH to a librdkafka.so.1.",
    );
    this.name = "LibrdkafkaNotFoundError";
  }
}

function load() {
  const candidates: { path: string; explicit: boolean }[] = [];
  if (process.env.LIBRDKAFKA_PATH) candidates.push({ path: process.env.LIBRDKAFKA_PATH, explicit: true });
  candidates.push({ path: paths.librdkafkaSo, explicit: false }, { path: "librdkafka.so.1", explicit: false });
  const tried: string[] = [];
  for (const { path } of candidates) {
    if (path.includes("/") && !existsSync(path)) {
      tried.push(`${path}: no such file`);
      continue;
    }
    let lib;
    try {
      lib = dlopen(path, symbols);
    } catch (error) {
      tried.push(`${path}: ${(error as Error).message.split("\n")[0]}`);
      continue;
    }
    const version = lib.symbols.rd_kafka_version();
    if (version >= MIN_VERSION) return { lib, path, version };
    tried.push(`${path}: version ${versionName(version)} is too old`);
    lib.close();
  }
  throw new LibrdkafkaNotFoundError(tried);
}

let loaded: ReturnType<typeof load> | undefined;

type RawSymbols = ReturnType<typeof load>["lib"]["symbols"];
/**
 * bun:ffi types pointer and 64-bit returns as `… | bigint`; on LP64 user-space pointers and the
 * sizes/offsets we read stay below 2^53, and the `_fast` types return numbers then.
 */
type Symbols = {
  [K in keyof RawSymbols]: RawSymbols[K] extends (...args: infer A) => infer R ? (...args: A) => Exclude<R, bigint> : never;
};

/** The librdkafka symbols, loaded (and version-checked) on first use. */
export function rd(): Symbols {
  loaded ??= load();
  return loaded.lib.symbols as unknown as Symbols;
}

let glueFns: ReturnType<typeof bindGlue> | undefined;

function compileGlue() {
  return cc({
    source: join(import.meta.dir, "glue", "batch.c"),
    symbols: {
      batch_bytes: { args: [P, i64_fast], returns: i64_fast },
      batch_take: { args: [P, i64_fast, P, P, P], returns: VOID },
      batch_destroy: { args: [P, i64_fast, P], returns: VOID },
      reports_scan: { args: [P, i64_fast, P, P, i64_fast, P], returns: i64_fast },
      group_by_partition: { args: [P, i64_fast, P, P, P, i32], returns: VOID },
    },
  });
}

/**
 * The batch glue (glue/batch.c), compiled on first use by Bun's built-in C compiler (~8 ms).
 * `take` needs librdkafka's timestamp and destroy functions: their addresses come from the
 * symbols we loaded, so the glue uses the very same librdkafka.
 */
export function glue() {
  glueFns ??= bindGlue();
  return glueFns;
}

function bindGlue() {
  const glueLib = compileGlue();
  const symbols = rd() as unknown as Record<string, { ptr: number }>;
  const timestamp = symbols.rd_kafka_message_timestamp!.ptr;
  const destroy = symbols.rd_kafka_message_destroy!.ptr;
  const { batch_bytes, batch_take, batch_destroy, reports_scan, group_by_partition } = glueLib.symbols;
  return {
    bytes: (messages: Uint32Array, count: number) => batch_bytes(messages, count) as number,
    take: (messages: Uint32Array, count: number, arena: Uint8Array, meta: Float64Array) =>
      batch_take(messages, count, arena, meta, timestamp as unknown as Pointer),
    destroy: (messages: Uint32Array, count: number) => batch_destroy(messages, count, destroy as unknown as Pointer),
    scanReports: (messages: Uint32Array, count: number, failed: Int32Array, lent: Float64Array, lentCount: number, released: Float64Array) =>
      reports_scan(messages, count, failed, lent, lentCount, released) as number,
    groupByPartition: (messages: Pointer, count: number, scratch: Pointer, partitions: Int32Array, partitioner: number, partitionCount: number) =>
      group_by_partition(messages, count, scratch, partitions, partitioner as unknown as Pointer, partitionCount),
  };
}


/**
 * Address of the librdkafka partitioner a `partitioner` property names (default
 * consistent_random), or null for `random` and names it has no function for.
 */
export function partitionerAddress(name = "consistent_random"): number | null {
  const symbol = rd() as unknown as Record<string, { ptr?: number } | undefined>;
  return symbol[`rd_kafka_msg_partitioner_${name}`]?.ptr ?? null;
}

/** Which librdkafka was loaded, e.g. `{ version: "2.15.1", path: ".../librdkafka.so.1" }`. */
export function librdkafkaInfo(): { version: string; path: string } {
  loaded ??= load();
  return { version: String(loaded.lib.symbols.rd_kafka_version_str()), path: loaded.path };
}

const libc = dlopen("libc.so.6", { memcpy: { args: [P, P, u64_fast], returns: P } });

/**
 * Copies `len` bytes from native memory into `dest` at `offset`. One native call per message is
 * cheaper than wrapping each payload in an external ArrayBuffer to copy it from JS.
 */
export function copyFromNative(dest: Uint8Array, offset: number, src: number, len: number): void {
  if (len > 0) libc.symbols.memcpy((ptr(dest) + offset) as Pointer, src as Pointer, len);
}

/** Pointer `i` of an array of `void *` that native code wrote into `words` (two u32 per pointer). */
export function pointerAt(words: Uint32Array, i: number): number {
  return words[2 * i]! + words[2 * i + 1]! * 0x1_0000_0000;
}

/** Reads an int64 as a number without a BigInt (exact below 2^53: offsets, sizes). */
export function readInt64(p: Pointer, offset: number): number {
  return read.u32(p, offset) + read.i32(p, offset + 4) * 0x1_0000_0000;
}

/** An int64 that native code wrote at u32 index `word` of `words`. */
export function int64At(words: Uint32Array, word: number): number {
  return words[word]! + (words[word + 1]! | 0) * 0x1_0000_0000;
}

/** Writes pointer/size `value` at u32 index `word` (low word first; values stay below 2^53). */
export function writeU64(words: Uint32Array, word: number, value: number): void {
  words[word] = value >>> 0;
  words[word + 1] = Math.floor(value / 0x1_0000_0000);
}

/** A NUL-terminated UTF-8 copy of `s`, to pass as `const char *`. */
export function cstr(s: string): Buffer {
  return Buffer.from(`${s}\0`, "utf8");
}

/** Reads a `char *` (NULL → null). */
export function readCString(p: Pointer | number | null): string | null {
  return p ? new CString(p as Pointer).toString() : null;
}

/** A zeroed buffer for librdkafka to write an error string into. */
export function errstrBuffer(): Buffer {
  return Buffer.alloc(512);
}

export function errstrText(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.toString("utf8", 0, end < 0 ? buf.length : end);
}

/** A C pointer as a JS value bun:ffi accepts (number), or 0 for NULL. */
export const NULL = 0 as unknown as Pointer;
