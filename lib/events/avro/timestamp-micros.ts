import avro from "avsc";

/**
 * avsc has no built-in timestamp logical types; this one maps Avro `long` /
 * `timestamp-micros` to a JS number of microseconds since the Unix epoch, the representation
 * EcomEvent uses end to end. Problem: a JS number is exact only below 2^53 µs (year ≈ 2255),
 * and avsc throws on larger longs — so values must be safe integers, which the validator
 * guarantees (it accepts years 1970–2099 only). A `Date` is accepted when writing, for
 * convenience; reading always yields a number.
 */
export class TimestampMicrosType extends avro.types.LogicalType {
  protected override _fromValue(val: unknown): number {
    return val as number;
  }

  protected override _toValue(any: unknown): number | undefined {
    if (typeof any === "number") return Number.isSafeInteger(any) ? any : undefined;
    if (any instanceof Date) {
      const ms = any.getTime();
      return Number.isNaN(ms) ? undefined : ms * 1000;
    }
    return undefined;
  }

  protected override _resolve(type: avro.Type): ((v: unknown) => unknown) | undefined {
    // A writer that used a plain long (or this same logical type) is readable as-is.
    if (avro.Type.isType(type, "long", "logical:timestamp-micros")) return (v) => v;
    return undefined;
  }
}

/** The logical types to pass to `avro.Type.forSchema(schema, { logicalTypes })`. */
export const LOGICAL_TYPES = { "timestamp-micros": TimestampMicrosType };
