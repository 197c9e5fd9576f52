"""Reads a whole topic with Confluent's Python client, as an independent check of what we produce.

Usage: read_topic.py BOOTSTRAP REGISTRY_URL TOPIC EXPECTED SAMPLE_EVERY
Prints one JSON object: the message count, per-partition key sets, and every SAMPLE_EVERY-th
value decoded with AvroDeserializer (schema fetched from the registry by the id in the message).
"""
import json
import sys
import time

from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

bootstrap, registry_url, topic, expected, every = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
deserialize = AvroDeserializer(SchemaRegistryClient({"url": registry_url}))
consumer = Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": f"py-reader-{time.time()}",
    "auto.offset.reset": "earliest",
    "enable.auto.commit": False,
})
consumer.subscribe([topic])
count, samples, key_mismatches, partitions_of_key = 0, [], 0, {}
deadline = time.time() + 120
while count < expected and time.time() < deadline:
    for msg in consumer.consume(num_messages=10000, timeout=1.0):
        if msg.error():
            raise SystemExit(f"consumer error: {msg.error()}")
        key = msg.key().decode()
        partitions_of_key.setdefault(key, set()).add(msg.partition())
        if count % every == 0:
            event = deserialize(msg.value(), SerializationContext(topic, MessageField.VALUE))
            if event["user_id"] != key:
                key_mismatches += 1
            event["event_time"] = event["event_time"].isoformat()  # datetime (timestamp-micros)
            samples.append(event)
        count += 1
consumer.close()
print(json.dumps({
    "count": count,
    "samples": samples,
    "key_mismatches": key_mismatches,
    "keys_on_several_partitions": sum(1 for p in partitions_of_key.values() if len(p) > 1),
}))
