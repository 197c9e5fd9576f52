/**
 * Optional HTTP basic auth, configured as "user:password" — the same `basic.auth.user.info`
 * string Confluent clients are given. Comparison is constant-time over digests so the time a
 * wrong password takes says nothing about how much of it was right.
 */
import { timingSafeEqual } from "node:crypto";

/** Thrown for a `--basic-auth` / REGISTRY_BASIC_AUTH value that is not "user:password". */
export class BasicAuthConfigError extends Error {
  constructor(readonly source: string) {
    super(`${source}: expected "user:password" (the password may contain ':'; the user may not be empty)`);
    this.name = "BasicAuthConfigError";
  }
}

/** The header a 401 carries so browsers and curl know to send credentials. */
export const WWW_AUTHENTICATE = 'Basic realm="SchemaRegistry"';

/**
 * Returns a predicate telling whether a request carries the configured credentials, or
 * undefined when `userInfo` is empty (auth off). Throws `BasicAuthConfigError` on a bad value.
 */
export function basicAuthCheck(userInfo: string | undefined, source = "basic auth"): ((request: Request) => boolean) | undefined {
  if (!userInfo) return undefined;
  const colon = userInfo.indexOf(":");
  if (colon <= 0) throw new BasicAuthConfigError(source);
  const expected = digest(Buffer.from(userInfo).toString("base64"));
  return (request) => {
    const [scheme, credentials] = (request.headers.get("authorization") ?? "").trim().split(/\s+/, 2);
    if (scheme?.toLowerCase() !== "basic" || !credentials) return false;
    return timingSafeEqual(digest(credentials), expected);
  };
}

function digest(text: string): Buffer {
  return Buffer.from(new Bun.CryptoHasher("sha256").update(text).digest());
}
