import { rd, NULL, errstrBuffer, errstrText, type Pointer } from "./ffi.ts";

/** librdkafka error codes the binding branches on (rd_kafka_resp_err_t). */
export const ErrorCode = {
  NO_ERROR: 0,
  _BAD_MSG: -199,
  _DESTROY: -197,
  _TRANSPORT: -195,
  _MSG_TIMED_OUT: -192,
  _PARTITION_EOF: -191,
  _UNKNOWN_PARTITION: -190,
  _UNKNOWN_TOPIC: -188,
  _ALL_BROKERS_DOWN: -187,
  _TIMED_OUT: -185,
  _QUEUE_FULL: -184,
  _ASSIGN_PARTITIONS: -175,
  _REVOKE_PARTITIONS: -174,
  _NO_OFFSET: -168,
  _FATAL: -150,
  UNKNOWN_TOPIC_OR_PART: 3,
  TOPIC_ALREADY_EXISTS: 36,
} as const;

/**
 * An error from librdkafka or from the binding's use of it: `code` is the rd_kafka_resp_err_t
 * value, `name` its symbolic name (e.g. `_MSG_TIMED_OUT`), and `fatal`/`retriable` say whether
 * the client is unusable / whether trying again may help.
 */
export class KafkaError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly fatal: boolean;
  readonly retriable: boolean;

  constructor(
    code: number,
    message?: string,
    opts: { fatal?: boolean; retriable?: boolean; cause?: unknown } = {},
  ) {
    const codeName = String(rd().rd_kafka_err2name(code));
    super(`${message ?? String(rd().rd_kafka_err2str(code))} (${codeName})`, { cause: opts.cause });
    this.name = "KafkaError";
    this.code = code;
    this.codeName = codeName;
    this.fatal = opts.fatal ?? false;
    this.retriable = opts.retriable ?? false;
  }

  /** Builds a KafkaError from an rd_kafka_error_t* and destroys it. */
  static fromErrorObject(error: Pointer, context?: string): KafkaError {
    const lib = rd();
    const code = lib.rd_kafka_error_code(error);
    const text = String(lib.rd_kafka_error_string(error));
    const result = new KafkaError(code, context ? `${context}: ${text}` : text, {
      fatal: lib.rd_kafka_error_is_fatal(error) === 1,
      retriable: lib.rd_kafka_error_is_retriable(error) === 1,
    });
    lib.rd_kafka_error_destroy(error);
    return result;
  }

  /**
   * A fatal error event only says "fatal"; the underlying cause must be re-read from the
   * handle (as librdkafka documents for idempotent producers).
   */
  static fatalFrom(rk: Pointer): KafkaError {
    const buf = errstrBuffer();
    const code = rd().rd_kafka_fatal_error(rk, buf, buf.length);
    return new KafkaError(code, `fatal: ${errstrText(buf)}`, { fatal: true });
  }
}

/** Throws a KafkaError for a non-zero rd_kafka_resp_err_t. */
export function check(code: number, context: string): void {
  if (code !== ErrorCode.NO_ERROR) throw new KafkaError(code, `${context}: ${String(rd().rd_kafka_err2str(code))}`);
}

/** Throws for a non-NULL rd_kafka_error_t* (and frees it). */
export function checkErrorObject(error: Pointer | null, context: string): void {
  if (error && error !== NULL) throw KafkaError.fromErrorObject(error, context);
}

/** Thrown by every public method of a client that was already closed. */
export class ClientClosedError extends Error {
  constructor(what: string) {
    super(`${what} is closed`);
    this.name = "ClientClosedError";
  }
}
