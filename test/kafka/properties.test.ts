import { describe, expect, it } from "bun:test";
import { parseProperties, PropertiesError, readPropertiesFile } from "../../lib/kafka/properties.ts";

describe("parseProperties", () => {
  it("reads a Confluent Cloud client.properties exactly", () => {
    const text = [
      "# Required connection configs for Kafka producer, consumer, and admin",
      "bootstrap.servers=pkc-abc12.europe-west1.gcp.confluent.cloud:9092",
      "security.protocol=SASL_SSL",
      "sasl.mechanisms=PLAIN",
      "sasl.username=KEY123",
      "sasl.password=se=cr:et",
      "",
      "! Best practice for higher availability in librdkafka clients prior to 1.7",
      "session.timeout.ms=45000",
      "   schema.registry.url = https://psrc-xyz.europe-west1.gcp.confluent.cloud  ",
      "basic.auth.credentials.source=USER_INFO",
      "basic.auth.user.info: SRKEY:SRSECRET",
    ].join("\r\n");
    const props = parseProperties(text, "client.properties");
    expect(props.get("sasl.password")!.value).toBe("se=cr:et");
    expect(props.get("schema.registry.url")!.value).toBe("https://psrc-xyz.europe-west1.gcp.confluent.cloud");
    expect(props.get("basic.auth.user.info")!.value).toBe("SRKEY:SRSECRET");
    expect(props.get("session.timeout.ms")!.source).toBe("client.properties:9");
    expect(props.size).toBe(9);
  });

  it("handles Java escapes, continuations and `key value` pairs", () => {
    const props = parseProperties("a\\ b = x\\ty\nlong = one, \\\n    two\nc d\nempty=\nu=\\u00e9");
    expect(props.get("a b")!.value).toBe("x\ty");
    expect(props.get("long")!.value).toBe("one, two");
    expect(props.get("c")!.value).toBe("d");
    expect(props.get("empty")!.value).toBe("");
    expect(props.get("u")!.value).toBe("é");
  });

  it("names the file when it cannot be read", () => {
    expect(() => readPropertiesFile("/nonexistent/client.properties")).toThrow(PropertiesError);
    expect(() => readPropertiesFile("/nonexistent/client.properties")).toThrow(/\/nonexistent\/client\.properties:0: cannot read/);
  });
});
