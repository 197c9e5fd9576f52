/**
 * librdkafka's constants and the struct layouts the binding reads and writes, for LP64
 * (x86_64/aarch64 Linux), checked against librdkafka 2.15's rdkafka.h. Offsets are in bytes.
 */

export const RD_KAFKA_PRODUCER = 0;
export const RD_KAFKA_CONSUMER = 1;
export const PARTITION_UA = -1;
export const MSG_F_COPY = 0x2;
export const MSG_F_PARTITION = 0x8;
export const OFFSET_INVALID = -1001;
export const OFFSET_BEGINNING = -2;
export const OFFSET_END = -1;
export const ADMIN_OP_CREATETOPICS = 1;
export const ADMIN_OP_DELETETOPICS = 2;

export const EVENT = {
  NONE: 0x0,
  DR: 0x1,
  FETCH: 0x2,
  LOG: 0x4,
  ERROR: 0x8,
  REBALANCE: 0x10,
  OFFSET_COMMIT: 0x20,
  STATS: 0x40,
  CREATETOPICS_RESULT: 100,
  DELETETOPICS_RESULT: 101,
} as const;

export const VTYPE = { TOPIC: 1, VALUE: 4, KEY: 5, OPAQUE: 6, MSGFLAGS: 7, HEADERS: 10 } as const;

/** rd_kafka_message_t (72 bytes). */
export const MESSAGE = {
  size: 72,
  err: 0,
  rkt: 8,
  partition: 16,
  payload: 24,
  len: 32,
  key: 40,
  keyLen: 48,
  offset: 56,
  opaque: 64,
} as const;

/** rd_kafka_topic_partition_list_t and its rd_kafka_topic_partition_t elements (64 bytes each). */
export const TPLIST = { cnt: 0, elems: 8 } as const;
export const TOPPAR = { size: 64, topic: 0, partition: 8, offset: 16, err: 48 } as const;

/** rd_kafka_vu_t (rd_kafka_produceva's argument): vtype at 0, the value union at 8; 72 bytes. */
export const VU = { size: 72, vtype: 0, value: 8, value2: 16 } as const;

/** rd_kafka_metadata_t and the arrays it points to. */
export const METADATA = {
  brokerCnt: 0,
  brokers: 8,
  topicCnt: 16,
  topics: 24,
  broker: { size: 24, id: 0, host: 8, port: 16 },
  topic: { size: 32, name: 0, partitionCnt: 8, partitions: 16, err: 24 },
  partition: { size: 40, id: 0, err: 4, leader: 8, replicaCnt: 12, isrCnt: 24 },
} as const;

/** Layout of the glue's per-message metadata (doubles), as in glue/batch.c. */
export const META = { rkt: 0, partition: 1, offset: 2, timestamp: 3, err: 4, valueAt: 5, valueLen: 6, keyAt: 7, keyLen: 8, fields: 9 } as const;
