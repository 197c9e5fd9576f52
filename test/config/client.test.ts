import { describe, expect, it } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeSettings, resolveClientSettings } from "../../lib/config/client.ts";

function propertiesFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "props-")), "client.properties");
  writeFileSync(file, text);
  return file;
}

describe("resolveClientSettings", () => {
  it("defaults to the local stack", () => {
    const s = resolveClientSettings({ env: {} });
    expect(s.kafka).toEqual({ "bootstrap.servers": "127.0.0.1:9092" });
    expect(s.registry).toEqual({ url: "http://127.0.0.1:8081", auth: undefined });
  });

  it("splits a Confluent Cloud file between librdkafka and the registry client", () => {
    const file = propertiesFile(
      "bootstrap.servers=pkc.example:9092\nsecurity.protocol=SASL_SSL\nsasl.mechanisms=PLAIN\n" +
        "sasl.username=K\nsasl.password=S\nschema.registry.url=https://psrc.example/\n" +
        "basic.auth.credentials.source=USER_INFO\nbasic.auth.user.info=RK:RS\n",
    );
    const s = resolveClientSettings({ env: { KAFKA_CONFIG: file } });
    expect(s.kafka).toEqual({
      "bootstrap.servers": "pkc.example:9092",
      "security.protocol": "SASL_SSL",
      "sasl.mechanisms": "PLAIN",
      "sasl.username": "K",
      "sasl.password": "S",
    });
    expect(s.registry).toEqual({ url: "https://psrc.example", auth: { username: "RK", password: "RS" } });
    expect(s.sources["sasl.password"]).toBe(`${file}:5`);
  });

  it("translates the Java client's JAAS line and reports Java-only keys", () => {
    const file = propertiesFile(
      'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="U" password="P";\n' +
        "key.serializer=org.apache.kafka.common.serialization.StringSerializer\n",
    );
    const s = resolveClientSettings({ configFile: file, env: {} });
    expect(s.kafka["sasl.username"]).toBe("U");
    expect(s.kafka["sasl.password"]).toBe("P");
    expect(s.ignored.sort()).toEqual(["key.serializer", "sasl.jaas.config"]);
  });

  it("gives flags precedence over the environment, and the environment over the file", () => {
    const file = propertiesFile("bootstrap.servers=file:1\nlinger.ms=50\n");
    const env = { KAFKA_CONFIG: file, KAFKA_BOOTSTRAP_SERVERS: "env:2" };
    expect(resolveClientSettings({ env }).kafka["bootstrap.servers"]).toBe("env:2");
    const s = resolveClientSettings({ env, bootstrap: "flag:3", overrides: ["linger.ms=7"] });
    expect(s.kafka["bootstrap.servers"]).toBe("flag:3");
    expect(s.kafka["linger.ms"]).toBe("7");
    expect(s.sources["linger.ms"]).toBe("-X");
  });

  it("never prints secrets", () => {
    const s = resolveClientSettings({ env: { SCHEMA_REGISTRY_BASIC_AUTH: "RK:topsecret" }, overrides: ["sasl.password=hunter2"] });
    const text = describeSettings(s);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("topsecret");
    expect(text).toContain("sasl.password=********");
  });
});
