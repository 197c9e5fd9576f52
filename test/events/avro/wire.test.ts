import { MockClient } from "@confluentinc/schemaregistry/dist/mock-schemaregistry-client.js";
import { AvroDeserializer, AvroSerializer } from "@confluentinc/schemaregistry/dist/serde/avro.js";
import { SerdeType } from "@confluentinc/schemaregistry/dist/serde/serde.js";
import { SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { EcomEventEncoder } from "../../../lib/events/avro/encoder.ts";
import { ecomEventSchemaText } from "../../../lib/events/avro/schema.ts";
import { readSchemaId, writeHeader } from "../../../lib/events/avro/wire.ts";
import type { EcomEvent } from "../../../lib/events/event.ts";
import { paths } from "../../../lib/paths.ts";
import { sampleEvents } from "./sample-events.ts";

const SUBJECT = "ecom_events-value";
const events = sampleEvents(300);
const encoder = new EcomEventEncoder(1);
const ours = events.map((e) => Buffer.from(encoder.encode(e)));

/** Compares events as plain data (clients return class instances, sometimes with methods). */
const plain = (e: unknown) => JSON.parse(JSON.stringify(e)) as EcomEvent;

describe("Confluent wire format", () => {
  it("writes and reads the 5-byte header", () => {
    const out = new Uint8Array(5);
    expect(writeHeader(out, 0, 0x01020304)).toBe(5);
    expect([...out]).toEqual([0, 1, 2, 3, 4]);
    expect(readSchemaId(out)).toBe(0x01020304);
    writeHeader(out, 0, 0xfffffffe);
    expect(readSchemaId(out)).toBe(0xfffffffe);
  });

  it("is byte-identical to Confluent's JS serializer, which also reads it back", async () => {
    const client = new MockClient({ baseURLs: ["mock://"] });
    const id = await client.register(SUBJECT, { schemaType: "AVRO", schema: ecomEventSchemaText() }, false);
    expect(id).toBe(1);
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
    const deserializer = new AvroDeserializer(client, SerdeType.VALUE, {});
    for (let i = 0; i < events.length; i++) {
      expect((await serializer.serialize("ecom_events", events[i])).toString("hex")).toBe(ours[i]!.toString("hex"));
      expect(plain(await deserializer.deserialize("ecom_events", ours[i]!))).toEqual(plain(events[i]));
    }
  });

  describe("with @kafkajs/confluent-schema-registry over HTTP", () => {
    // The library fetches writer schemas by id over HTTP; a one-route server answers with the
    // registry's documented response, so its real encode and decode paths run.
    let server: ReturnType<typeof Bun.serve>;
    beforeAll(() => {
      server = Bun.serve({
        port: 0,
        hostname: "127.0.0.1",
        fetch(req) {
          const url = new URL(req.url);
          if (url.pathname === "/schemas/ids/1") {
            return Response.json({ schema: ecomEventSchemaText() }, { headers: { "content-type": "application/vnd.schemaregistry.v1+json" } });
          }
          return Response.json({ error_code: 40403, message: "Schema not found" }, { status: 404 });
        },
      });
    });
    afterAll(() => server.stop(true));

    it("decodes our bytes and encodes the same bytes", async () => {
      const registry = new SchemaRegistry({ host: `http://127.0.0.1:${server.port}` });
      for (let i = 0; i < events.length; i++) {
        expect(plain(await registry.decode(ours[i]!))).toEqual(plain(events[i]));
        expect((await registry.encode(1, events[i])).toString("hex")).toBe(ours[i]!.toString("hex"));
      }
    });
  });

  it("is byte-identical to Python confluent-kafka (fastavro), which also reads it back", async () => {
    if (!existsSync(paths.python)) throw new Error(`${paths.python} is missing: run \`just setup\` (it creates the Python venv)`);
    const proc = Bun.spawn([paths.python, join(import.meta.dir, "confluent_python.py")], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    proc.stdin.write(JSON.stringify({ schema: ecomEventSchemaText(), events, messages: ours.map((b) => b.toString("hex")) }));
    await proc.stdin.end();
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    if (code !== 0) throw new Error(`confluent_python.py exited ${code}: ${stderr}`);
    const result = JSON.parse(stdout) as {
      serialized: string[];
      deserialized: EcomEvent[];
      fastavro: { schema_id: number; event: EcomEvent }[];
    };
    expect(result.serialized).toEqual(ours.map((b) => b.toString("hex")));
    expect(result.deserialized).toEqual(events.map(plain));
    expect(result.fastavro).toEqual(events.map((e) => ({ schema_id: 1, event: plain(e) })));
  });
});
