import { SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { BasicAuthConfigError, basicAuthCheck } from "../../lib/registry/auth.ts";
import { startTestRegistry, type TestRegistry } from "./harness.ts";

const basic = (userInfo: string) => ({ Authorization: `Basic ${Buffer.from(userInfo).toString("base64")}` });

describe("basic auth on", () => {
  let registry: TestRegistry;
  beforeAll(() => {
    registry = startTestRegistry({ basicAuth: "alice:s3cr:et" });
  });
  afterAll(() => registry.dispose());

  it("answers 401 with error_code 401 and WWW-Authenticate when credentials are missing or wrong", async () => {
    const attempts = [{}, basic("alice:wrong"), basic("bob:s3cr:et"), { Authorization: "Bearer token" }, { Authorization: "Basic !!!" }];
    for (const headers of attempts) {
      const reply = await registry.call("GET", "/subjects", undefined, headers);
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error_code: 401, message: "Unauthorized" });
      expect(reply.headers.get("www-authenticate")).toBe('Basic realm="SchemaRegistry"');
    }
  });

  it("serves requests with the right credentials (password containing ':')", async () => {
    const reply = await registry.call("GET", "/subjects", undefined, basic("alice:s3cr:et"));
    expect([reply.status, reply.body]).toEqual([200, []]);
    const lowercase = await registry.call("GET", "/", undefined, { Authorization: `basic ${Buffer.from("alice:s3cr:et").toString("base64")}` });
    expect(lowercase.status).toBe(200);
  });

  it("works with a client configured with the same user info", async () => {
    const client = new SchemaRegistry({ host: registry.url, auth: { username: "alice", password: "s3cr:et" }, retry: { retries: 0 } });
    const { id } = await client.register({ type: "record", name: "A", fields: [] } as never, { subject: "a" });
    expect(id).toBe(1);
    const anonymous = new SchemaRegistry({ host: registry.url, retry: { retries: 0 } });
    await expect(anonymous.getSchema(1)).rejects.toMatchObject({ status: 401 });
  });
});

describe("basic auth off", () => {
  it("serves everyone when no credentials are configured", async () => {
    const registry = startTestRegistry({ basicAuth: "" });
    try {
      expect((await registry.call("GET", "/subjects", undefined, basic("any:thing"))).status).toBe(200);
      expect((await registry.call("GET", "/subjects")).status).toBe(200);
    } finally {
      await registry.dispose();
    }
  });

  it("rejects a malformed user info at start", () => {
    expect(() => basicAuthCheck("no-colon")).toThrow(BasicAuthConfigError);
    expect(() => basicAuthCheck(":password")).toThrow(BasicAuthConfigError);
    expect(() => startTestRegistry({ basicAuth: "nocolon" })).toThrow(BasicAuthConfigError);
  });
});
