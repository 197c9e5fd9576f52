import {
  AvroDeserializer,
  AvroSerializer,
  Compatibility,
  SchemaRegistryClient,
  SerdeType,
} from "@confluentinc/schemaregistry";
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { ECOM_SCHEMA, startTestRegistry, type TestRegistry } from "./harness.ts";

let registry: TestRegistry;
let client: SchemaRegistryClient;
beforeAll(() => {
  registry = startTestRegistry();
  client = new SchemaRegistryClient({ baseURLs: [registry.url], maxRetries: 0 });
});
afterAll(() => registry.dispose());

const SUBJECT = "ecom_events-value";
const ecom = { schemaType: "AVRO", schema: ECOM_SCHEMA };
const user = (fields: object[]) =>
  ({ schemaType: "AVRO", schema: JSON.stringify({ type: "record", name: "User", fields }) });

describe("@confluentinc/schemaregistry against the registry", () => {
  it("registers and reads back by subject and id", async () => {
    const id = await client.register(SUBJECT, ecom);
    expect(id).toBe(1);
    const byId = await client.getBySubjectAndId(SUBJECT, id);
    expect(JSON.parse(byId.schema)).toMatchObject({ name: "EcomEvent", namespace: "com.ecom.events" });
    const latest = await client.getLatestSchemaMetadata(SUBJECT);
    expect(latest).toMatchObject({ id: 1, version: 1, subject: SUBJECT });
    expect((await client.getSchemaMetadata(SUBJECT, 1)).id).toBe(1);
  });

  it("looks schemas up (getId, getVersion) and lists subjects and versions", async () => {
    const fresh = new SchemaRegistryClient({ baseURLs: [registry.url], maxRetries: 0 });
    expect(await fresh.getId(SUBJECT, ecom)).toBe(1);
    expect(await fresh.getVersion(SUBJECT, ecom)).toBe(1);
    expect(await fresh.getAllSubjects()).toEqual([SUBJECT]);
    expect(await fresh.getAllVersions(SUBJECT)).toEqual([1]);
  });

  it("tests compatibility and manages levels", async () => {
    await client.register("users-value", user([{ name: "id", type: "string" }]));
    const optional = user([{ name: "id", type: "string" }, { name: "age", type: ["null", "int"], default: null }]);
    const required = user([{ name: "id", type: "string" }, { name: "age", type: "int" }]);
    expect(await client.testSubjectCompatibility("users-value", optional)).toBe(true);
    expect(await client.testSubjectCompatibility("users-value", required)).toBe(false);
    expect(await client.testCompatibility("users-value", 1, required)).toBe(false);
    expect(await client.updateCompatibility("users-value", Compatibility.FORWARD)).toBe(Compatibility.FORWARD);
    expect(await client.getCompatibility("users-value")).toBe(Compatibility.FORWARD);
    expect(await client.getDefaultCompatibility()).toBe(Compatibility.BACKWARD);
    expect(await client.register("users-value", required)).toBeGreaterThan(1);
  });

  it("surfaces Confluent error codes as RestError", async () => {
    const breaking = user([{ name: "id", type: "long" }]);
    await expect(client.register("users-value", breaking)).rejects.toMatchObject({ status: 409, errorCode: 409 });
    await expect(client.register("x", { schemaType: "AVRO", schema: "{" })).rejects.toMatchObject({ status: 422, errorCode: 42201 });
    await expect(client.getLatestSchemaMetadata("nobody")).rejects.toMatchObject({ status: 404, errorCode: 40401 });
    await expect(client.deleteSubject(SUBJECT, true)).rejects.toMatchObject({ errorCode: 40405 });
  });

  it("round-trips a record through AvroSerializer and AvroDeserializer", async () => {
    await client.register("orders-value", user([{ name: "id", type: "string" }, { name: "n", type: "long" }]));
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
    const bytes = await serializer.serialize("orders", { id: "u1", n: 42 });
    expect(bytes[0]).toBe(0);
    const reader = new AvroDeserializer(new SchemaRegistryClient({ baseURLs: [registry.url], maxRetries: 0 }), SerdeType.VALUE, {});
    expect(await reader.deserialize("orders", bytes)).toEqual({ id: "u1", n: 42 });
  });

  it("soft-deletes and permanently deletes a subject", async () => {
    expect(await client.deleteSubject("orders-value")).toEqual([1]);
    expect(await client.deleteSubject("orders-value", true)).toEqual([1]);
    expect(await client.getAllSubjects()).not.toContain("orders-value");
  });
});
