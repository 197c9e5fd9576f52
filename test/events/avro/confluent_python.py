"""Byte-compatibility oracle for test/events/avro/wire.test.ts: what Confluent's Python client
(confluent-kafka's AvroSerializer/AvroDeserializer, backed by fastavro) writes and reads.

stdin:  {"schema": "<avsc text>", "events": [EcomEvent, ...], "messages": ["<hex>", ...]}
stdout: {"serialized": ["<hex>", ...],        # AvroSerializer(events), schema id 1 (mock registry)
         "deserialized": [EcomEvent, ...],     # AvroDeserializer(messages)
         "fastavro": [{"schema_id": n, "event": EcomEvent}, ...]}  # header + schemaless_reader
event_time travels as integer microseconds in both directions.
"""
import io
import json
import struct
import sys
from datetime import datetime, timezone

import fastavro
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def micros(value):
    if isinstance(value, datetime):
        delta = value - EPOCH
        return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return value


def plain(event):
    event = dict(event)
    event["event_time"] = micros(event["event_time"])
    return event


def main():
    request = json.load(sys.stdin)
    schema = request["schema"]
    client = SchemaRegistryClient.new_client({"url": "mock://"})
    ctx = SerializationContext("ecom_events", MessageField.VALUE)
    serializer = AvroSerializer(client, schema, conf={"auto.register.schemas": True})
    serialized = [serializer(event, ctx).hex() for event in request["events"]]

    deserializer = AvroDeserializer(client)
    messages = [bytes.fromhex(m) for m in request["messages"]]
    deserialized = [plain(deserializer(m, ctx)) for m in messages]

    parsed = fastavro.parse_schema(json.loads(schema))
    direct = []
    for m in messages:
        assert m[0] == 0, f"magic byte {m[0]}"
        (schema_id,) = struct.unpack(">I", m[1:5])
        body = io.BytesIO(m[5:])
        event = fastavro.schemaless_reader(body, parsed)
        assert body.read() == b"", "trailing bytes after the record"
        direct.append({"schema_id": schema_id, "event": plain(event)})

    json.dump({"serialized": serialized, "deserialized": deserialized, "fastavro": direct}, sys.stdout)


if __name__ == "__main__":
    main()
