import type { ConsumedMessage } from "../kafka/message.ts";

/** Why a message could not land; the dead-letter topic's `dlq.error.kind` header. */
export type DeadLetterKind =
  | "too-short"
  | "wrong-magic-byte"
  | "unknown-schema-id"
  | "undecodable-avro"
  | "invalid-event"
  | "sink-rejected";

/** A message that goes to the dead-letter topic instead of the warehouse, with the reason. */
export interface DeadLetter {
  message: ConsumedMessage;
  kind: DeadLetterKind;
  reason: string;
}
