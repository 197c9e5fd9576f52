import { COMPATIBILITY, SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { ECOM_SCHEMA, startTestRegistry, type TestRegistry } from "./harness.ts";

let registry: TestRegistry;
let client: SchemaRegistry;
beforeAll(() => {
  registry = startTestRegistry();
  client = new SchemaRegistry({ host: registry.url, retry: { retries: 0 } });
});
afterAll(() => registry.dispose());

const event = {
  event_time: 1_600_944_226_000_000,
  event_type: "view",
  product_id: "1996170",
  category_id: "2144415922528452715",
  category_code: "electronics.telephone",
  brand: null,
  price: 31.9,
  user_id: "1515915625519388267",
  user_session: "LJuJVLEjPT",
};

describe("@kafkajs/confluent-schema-registry against the registry", () => {
  it("registers (GET then PUT /config/{subject}) and is idempotent", async () => {
    const schema = { type: SchemaType.AVRO as const, schema: ECOM_SCHEMA };
    const first = await client.register(schema, { subject: "ecom_events-value" });
    expect(first.id).toBe(1);
    // The client PUT the subject's level after the first registration and checks it next time.
    expect((await registry.call("GET", "/config/ecom_events-value")).body).toEqual({ compatibilityLevel: "BACKWARD" });
    const again = await client.register(schema, { subject: "ecom_events-value" });
    expect(again.id).toBe(1);
  });

  it("encodes with the Confluent header and decodes back", async () => {
    const id = await client.getLatestSchemaId("ecom_events-value");
    const encoded = await client.encode(id, event);
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);
    // A fresh client has no cache: decode must fetch GET /schemas/ids/{id}.
    const fresh = new SchemaRegistry({ host: registry.url, retry: { retries: 0 } });
    expect(await fresh.decode(encoded)).toEqual(event);
  });

  it("finds ids by version and by schema", async () => {
    expect(await client.getRegistryId("ecom_events-value", 1)).toBe(1);
    expect(await client.getRegistryId("ecom_events-value", "latest")).toBe(1);
    expect(await client.getRegistryIdBySchema("ecom_events-value", { type: SchemaType.AVRO, schema: ECOM_SCHEMA })).toBe(1);
    const schema = await client.getSchema(1);
    expect((schema as unknown as { name: string }).name).toBe("com.ecom.events.EcomEvent");
  });

  it("surfaces 409 for an incompatible schema and 404s for unknown ids", async () => {
    const breaking = JSON.stringify({ type: "record", name: "EcomEvent", namespace: "com.ecom.events", fields: [{ name: "n", type: "int" }] });
    const refused = client.register({ type: SchemaType.AVRO, schema: breaking }, { subject: "ecom_events-value" });
    await expect(refused).rejects.toMatchObject({ status: 409 });
    await expect(client.getSchema(4242)).rejects.toMatchObject({ status: 404 });
  });

  it("refuses a level mismatch the client checks itself", async () => {
    const other = JSON.stringify({ type: "record", name: "Other", fields: [{ name: "n", type: "int" }] });
    await client.register({ type: SchemaType.AVRO, schema: other }, { subject: "full-subject", compatibility: COMPATIBILITY.FULL });
    expect((await registry.call("GET", "/config/full-subject")).body).toEqual({ compatibilityLevel: "FULL" });
    const mismatch = client.register({ type: SchemaType.AVRO, schema: other }, { subject: "full-subject" });
    await expect(mismatch).rejects.toThrow("Compatibility does not match");
  });
});
