import { describe, expect, it } from "bun:test";
import { classifyError } from "../../lib/bigquery/errors.ts";

describe("classifyError", () => {
  it("sorts API and network errors into transient, tooLarge, unreachable and permanent", () => {
    const api = (code: number, reason = "", message = "") => Object.assign(new Error(message), { code, errors: [{ reason }] });
    expect(classifyError(api(503))).toBe("transient");
    expect(classifyError(api(429))).toBe("transient");
    expect(classifyError(api(403, "rateLimitExceeded"))).toBe("transient");
    expect(classifyError(api(403, "accessDenied"))).toBe("permanent");
    expect(classifyError(api(404, "notFound"))).toBe("permanent");
    expect(classifyError(api(413, "requestTooLarge"))).toBe("tooLarge");
    expect(classifyError(api(400, "badRequest", "Request payload size exceeds the limit: 10485760 bytes."))).toBe("tooLarge");
    expect(classifyError(api(400, "invalid", "no such field"))).toBe("permanent");
    expect(classifyError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe("transient");
    expect(classifyError(Object.assign(new Error("network timeout at: x"), { type: "request-timeout" }))).toBe("transient");
    expect(classifyError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe("unreachable");
  });
});
