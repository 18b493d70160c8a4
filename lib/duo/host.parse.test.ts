/** DUO_HOST as people write it; http:// only for loopback; the signed host is lower-case without the port. */
import { describe, expect, it } from "vitest";
import { parseDuoHost } from "./host";

describe("parseDuoHost", () => {
  it.each([
    ["api-12345678.duosecurity.com", "https://api-12345678.duosecurity.com", "api-12345678.duosecurity.com"],
    ["API-12345678.DuoSecurity.com", "https://api-12345678.duosecurity.com", "api-12345678.duosecurity.com"],
    ["api-12345678.duosecurity.com:8443", "https://api-12345678.duosecurity.com:8443", "api-12345678.duosecurity.com"],
    ["https://api-12345678.duosecurity.com/", "https://api-12345678.duosecurity.com", "api-12345678.duosecurity.com"],
    ["http://127.0.0.1:3100", "http://127.0.0.1:3100", "127.0.0.1"],
    ["http://localhost:3100", "http://localhost:3100", "localhost"],
  ])("%s", (raw, origin, signedHost) => {
    const result = parseDuoHost(raw);
    expect(result).toMatchObject({ ok: true, endpoint: { origin, signedHost } });
  });

  it.each([
    "http://api-12345678.duosecurity.com",
    "http://10.0.0.5:3100",
    "ftp://api-12345678.duosecurity.com",
    "https://api-12345678.duosecurity.com/auth/v2",
    "https://user:pw@api-12345678.duosecurity.com",
    "https://api-12345678.duosecurity.com?x=1",
    "",
    "not a host",
  ])("refuses %j", (raw) => {
    expect(parseDuoHost(raw).ok).toBe(false);
  });
});
