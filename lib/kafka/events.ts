import { rd, read, readInt64, pointerAt, readCString, cstr, TPLIST, TOPPAR, type Pointer } from "./ffi.ts";
import { KafkaError } from "./errors.ts";

/** A partition (and optionally an offset or error), as librdkafka's topic-partition lists carry. */
export interface TopicPartition {
  topic: string;
  partition: number;
  offset?: number;
  /** rd_kafka_resp_err_t for this partition, when the list reports per-partition errors. */
  error?: number;
}

/**
 * Drains every event waiting on `queue` without blocking and hands each to `onEvent` with its
 * type; events are destroyed afterwards, so `onEvent` must copy what it keeps. Returns how many.
 */
export function drainQueue(queue: Pointer, onEvent: (event: Pointer, type: number) => void, max = 10_000): number {
  const lib = rd();
  let handled = 0;
  while (handled < max) {
    const event = lib.rd_kafka_queue_poll(queue, 0);
    if (!event) break;
    try {
      onEvent(event, lib.rd_kafka_event_type(event));
    } finally {
      lib.rd_kafka_event_destroy(event);
    }
    handled++;
  }
  return handled;
}

/** The error an RD_KAFKA_EVENT_ERROR carries; a fatal one is re-read from the handle. */
export function errorFromEvent(rk: Pointer, event: Pointer): KafkaError {
  const lib = rd();
  if (lib.rd_kafka_event_error_is_fatal(event)) return KafkaError.fatalFrom(rk);
  const code = lib.rd_kafka_event_error(event);
  return new KafkaError(code, String(lib.rd_kafka_event_error_string(event)));
}

/** The JSON text of an RD_KAFKA_EVENT_STATS. */
export function statsFromEvent(event: Pointer): string {
  return String(rd().rd_kafka_event_stats(event));
}

/**
 * Fills `words` (room for `words.length / 2` pointers) with the messages of a DR or FETCH event
 * and returns how many; one native call for the whole batch.
 */
export function eventMessages(event: Pointer, words: Uint32Array): number {
  return rd().rd_kafka_event_message_array(event, words, words.length / 2);
}

export { pointerAt };

/** Reads an rd_kafka_topic_partition_list_t into plain objects. */
export function readTopicPartitionList(list: Pointer | null): TopicPartition[] {
  if (!list) return [];
  const count = read.i32(list, TPLIST.cnt);
  const elems = read.ptr(list, TPLIST.elems);
  const result: TopicPartition[] = [];
  for (let i = 0; i < count; i++) {
    const el = (elems + i * TOPPAR.size) as Pointer;
    result.push({
      topic: readCString(read.ptr(el, TOPPAR.topic))!,
      partition: read.i32(el, TOPPAR.partition),
      offset: readInt64(el, TOPPAR.offset),
      error: read.i32(el, TOPPAR.err),
    });
  }
  return result;
}

/** Builds a native topic-partition list; the caller destroys it with destroyTopicPartitionList. */
export function buildTopicPartitionList(items: TopicPartition[]): Pointer {
  const lib = rd();
  const list = lib.rd_kafka_topic_partition_list_new(Math.max(items.length, 1))!;
  for (const item of items) {
    lib.rd_kafka_topic_partition_list_add(list, cstr(item.topic), item.partition);
    if (item.offset !== undefined) {
      lib.rd_kafka_topic_partition_list_set_offset(list, cstr(item.topic), item.partition, item.offset);
    }
  }
  return list;
}

export function destroyTopicPartitionList(list: Pointer): void {
  rd().rd_kafka_topic_partition_list_destroy(list);
}
