import { describe, expect, it } from "bun:test";
import { bigQueryConfigFromEnv } from "../../lib/bigquery/config.ts";
import { BigQueryConfigError } from "../../lib/bigquery/errors.ts";

describe("bigQueryConfigFromEnv", () => {
  it("applies the defaults for dataset and location", () => {
    expect(bigQueryConfigFromEnv({ GCP_PROJECT: "my-project" })).toEqual({
      projectId: "my-project",
      dataset: "ecom_events",
      location: "US",
      keyFilename: undefined,
      apiEndpoint: undefined,
    });
  });

  it("names GCP_PROJECT when it is missing", () => {
    expect(() => bigQueryConfigFromEnv({ BQ_DATASET: "x" })).toThrow(BigQueryConfigError);
    expect(() => bigQueryConfigFromEnv({})).toThrow(/^GCP_PROJECT is not set/);
  });

  it("rejects a malformed dataset id and endpoint", () => {
    expect(() => bigQueryConfigFromEnv({ GCP_PROJECT: "p", BQ_DATASET: "ecom-events" })).toThrow(/^BQ_DATASET "ecom-events"/);
    expect(() => bigQueryConfigFromEnv({ GCP_PROJECT: "p", BIGQUERY_API_ENDPOINT: "127.0.0.1:9050" })).toThrow(
      /^BIGQUERY_API_ENDPOINT "127.0.0.1:9050" is not an http\(s\) URL/,
    );
  });

  it("checks that the key file exists, without reading it, unless an emulator is used", () => {
    const env = { GCP_PROJECT: "p", GOOGLE_APPLICATION_CREDENTIALS: "/nonexistent/key.json" };
    expect(() => bigQueryConfigFromEnv(env)).toThrow(/^GOOGLE_APPLICATION_CREDENTIALS points to \/nonexistent\/key.json/);
    const emulated = bigQueryConfigFromEnv({ ...env, BIGQUERY_API_ENDPOINT: "http://127.0.0.1:9050" });
    expect(emulated.apiEndpoint).toBe("http://127.0.0.1:9050");
    expect(emulated.keyFilename).toBeUndefined();
  });
});
