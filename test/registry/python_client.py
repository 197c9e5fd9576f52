"""Drives confluent_kafka's SchemaRegistryClient against a registry and prints what it saw as JSON.

Usage: python python_client.py URL SCHEMA_FILE [USER:PASSWORD]
Run by test/registry/client-python.test.ts; every check reads real HTTP answers (a fresh client
per read, so the client's own caches never answer for the server).
"""

import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import MessageField, SerializationContext

SUBJECT = "ecom_events-value"


def client(url, auth):
    conf = {"url": url}
    if auth:
        conf["basic.auth.user.info"] = auth
    return SchemaRegistryClient(conf)


def error_of(call):
    try:
        call()
    except SchemaRegistryError as error:
        return {"status": error.http_status_code, "error_code": error.error_code, "message": error.error_message}
    return None


def record(name, fields):
    return Schema(json.dumps({"type": "record", "name": name, "fields": fields}), "AVRO")


def main():
    url, schema_file = sys.argv[1], sys.argv[2]
    auth = sys.argv[3] if len(sys.argv) > 3 else None
    with open(schema_file, encoding="utf-8") as handle:
        ecom = Schema(handle.read(), "AVRO")
    out = {}

    out["register_id"] = client(url, auth).register_schema(SUBJECT, ecom)
    out["register_again_id"] = client(url, auth).register_schema(SUBJECT, ecom)
    out["fetched_name"] = json.loads(client(url, auth).get_schema(out["register_id"]).schema_str)["name"]
    found = client(url, auth).lookup_schema(SUBJECT, ecom)
    out["lookup"] = {"id": found.schema_id, "version": found.version, "subject": found.subject}
    latest = client(url, auth).get_latest_version(SUBJECT)
    out["latest"] = {"id": latest.schema_id, "version": latest.version}
    out["subjects"] = client(url, auth).get_subjects()
    out["versions"] = client(url, auth).get_versions(SUBJECT)

    base = [{"name": "id", "type": "string"}]
    client(url, auth).register_schema("users-value", record("User", base))
    optional = record("User", base + [{"name": "age", "type": ["null", "int"], "default": None}])
    breaking = record("User", [{"name": "id", "type": "int"}])
    out["compatible"] = client(url, auth).test_compatibility("users-value", optional)
    out["incompatible"] = client(url, auth).test_compatibility("users-value", breaking)
    out["incompatible_register"] = error_of(lambda: client(url, auth).register_schema("users-value", breaking))
    out["invalid_register"] = error_of(
        lambda: client(url, auth).register_schema("users-value", Schema('{"type": "recrd"}', "AVRO"))
    )
    out["unknown_id"] = error_of(lambda: client(url, auth).get_schema(9999))
    client(url, auth).set_compatibility("users-value", "FULL")
    out["compatibility"] = client(url, auth).get_compatibility("users-value")

    serializer = AvroSerializer(client(url, auth), record("Click", [{"name": "page", "type": "string"}]).schema_str)
    context = SerializationContext("clicks", MessageField.VALUE)
    payload = serializer({"page": "/home"}, context)
    out["wire_magic"] = payload[0]
    out["round_trip"] = AvroDeserializer(client(url, auth))(payload, context)

    out["deleted_versions"] = client(url, auth).delete_subject("users-value")
    out["subjects_after_delete"] = client(url, auth).get_subjects()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
