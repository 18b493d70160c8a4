/**
 * The request the client actually puts on the wire — URL, headers, body, Authorization — matches Duo's
 * published vectors byte for byte: duo_hmac_python's v5 requests with X-Duo-Date (test/test_hmac.py),
 * and the worked vectors A and C of shared/duo-auth-api.md §3.8 (v2 form POST, v5 JSON POST).
 */
import { describe, expect, it } from "vitest";
import { defaultSleep, signRequest, type TransportSettings } from "./transport";

function settings(overrides: Partial<TransportSettings>): TransportSettings {
  return {
    ikey: "DIXXXXXXXXXXXXXXXXXX",
    skey: "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef",
    endpoint: { origin: "https://api-xxxxxxxx.duosecurity.com", signedHost: "api-xxxxxxxx.duosecurity.com", loopback: false },
    sigVersion: 5,
    digest: "sha512",
    dateHeader: "Date",
    fetch: globalThis.fetch,
    clock: Date.now,
    sleep: defaultSleep,
    random: Math.random,
    maxBackoffSeconds: 32,
    ...overrides,
  };
}

describe("duo_hmac_python vectors through the client's request builder", () => {
  const hmac = settings({ ikey: "DIABCDEFGHIJKLMNOPQR", skey: "testtesttesttesttesttesttesttesttesttest", dateHeader: "X-Duo-Date" });
  const DATE = "Fri, 24 May 2024 12:00:00 -0000";

  it("GET, no params", () => {
    const signed = signRequest(hmac, { method: "GET", path: "/api/path", params: [] }, DATE);
    expect(signed.url).toBe("https://api-xxxxxxxx.duosecurity.com/api/path");
    expect(signed.body).toBeUndefined();
    expect(signed.headers["X-Duo-Date"]).toBe(DATE);
    expect(signed.headers.Date).toBeUndefined();
    expect(signed.headers.Authorization).toBe(
      "Basic RElBQkNERUZHSElKS0xNTk9QUVI6YzQ1NDYzOWQ3NWI0ZTNkOTliOGIxZDVlNDFjZDdiYjJkMmQ4YmE1NWY2ODExZjc4NmRmYjBlZGQ0ZmFjZDJmM2E1ZTZkNmM4MzdmMzFmNjgyNjcwNjMyNWI0ZWQ3ZGNkYzVmMTExNjQ5NDhlNTdhNzAzMmE1MjQ5OTBlMDE1ODM=",
    );
  });

  it("POST, no params: body {} as JSON", () => {
    const signed = signRequest(hmac, { method: "POST", path: "/api/path", params: [] }, DATE);
    expect(signed.body).toBe("{}");
    expect(signed.headers["Content-Type"]).toBe("application/json");
    expect(signed.headers.Authorization).toBe(
      "Basic RElBQkNERUZHSElKS0xNTk9QUVI6MTJhMDVkNzgzYjJlNThlMzZmMzdkZjhhNjkwNzgzNTQ5NmZiZTIwZmIzZDA0YjE1MDM2YzgyYjE2OTRmYzU4ZDFjMDQ1MWI5MzdmYjliYTZlN2MyYjQ0ZDg5YjQ3M2FmNzA4MTY2MTgzZDIxNmFlYTEzZTUyNzQyYTU3ZjIzOWY=",
    );
  });

  it("GET, one param in the query", () => {
    const signed = signRequest(hmac, { method: "GET", path: "/api/path", params: [["foo", "bar"]] }, DATE);
    expect(signed.url).toBe("https://api-xxxxxxxx.duosecurity.com/api/path?foo=bar");
    expect(signed.headers.Authorization).toBe(
      "Basic RElBQkNERUZHSElKS0xNTk9QUVI6ODhmZTgwZjNiMjQyYjk5MmY0YjMwMTQwOGQ1MjRhODg2Mjc0ZDNlZDBjNGM3YmQxODRlMWI0ZmYzNzhlNjhlYTA1ZDk0MzNjMDk5MzgwNzhjNDk1MTdhNmM0MjY0Yzk1MGJlOWZmNWNjMjhhZDJkNDQ4Y2VhMjRiYzkzODg3Y2E=",
    );
  });

  it("POST, several params: sorted compact JSON", () => {
    const signed = signRequest(
      hmac,
      {
        method: "POST",
        path: "/api/path",
        params: [
          ["foo", "bar"],
          ["one", "1"],
          ["bool", "true"],
        ],
      },
      DATE,
    );
    expect(signed.body).toBe('{"bool":"true","foo":"bar","one":"1"}');
    expect(signed.headers.Authorization).toBe(
      "Basic RElBQkNERUZHSElKS0xNTk9QUVI6NjhjYWI2YTQyYmUyMTZhMGUwNTU3NzJlZDhkODg3MGIzODNmYzk4NmVlNGJkN2I5MjM0Njg5ZTIzOWJlNjc3YzhlZGY2MWUzM2VhZGRkODNlMmI5NDE0Yzk4ZmYzMGJmY2EwYmYyZTFmNDQ4MzEwNzRmNWM0NzRiZjRhZjlmZDc=",
    );
  });
});

describe("worked vectors of §3.8 through the client's request builder", () => {
  const DATE = "Tue, 21 Aug 2012 17:29:18 -0000";

  it("A: v2 HMAC-SHA1 form POST /auth/v2/auth", () => {
    const signed = signRequest(
      settings({ sigVersion: 2, digest: "sha1" }),
      {
        method: "POST",
        path: "/auth/v2/auth",
        params: [
          ["username", "root"],
          ["factor", "push"],
          ["device", "auto"],
          ["ipaddr", "1.2.3.4"],
          ["pushinfo", "from=login portal&domain=example.com"],
        ],
      },
      DATE,
    );
    expect(signed.headers.Date).toBe(DATE);
    expect(signed.headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
    expect(signed.body).toBe("device=auto&factor=push&ipaddr=1.2.3.4&pushinfo=from%3Dlogin%20portal%26domain%3Dexample.com&username=root");
    expect(signed.headers.Authorization).toBe("Basic RElYWFhYWFhYWFhYWFhYWFhYWFg6ZTgwZjhjYzZhNzQzMDdkMjQyYmNjNTdkMTA2YzEzYzFmOGEwZjM2Yg==");
  });

  it("C: v5 JSON POST /auth/v2/preauth", () => {
    const signed = signRequest(
      settings({}),
      {
        method: "POST",
        path: "/auth/v2/preauth",
        params: [
          ["username", "root"],
          ["ipaddr", "1.2.3.4"],
        ],
      },
      DATE,
    );
    expect(signed.body).toBe('{"ipaddr":"1.2.3.4","username":"root"}');
    const signature = Buffer.from(signed.headers.Authorization?.slice("Basic ".length) ?? "", "base64").toString().split(":")[1];
    expect(signature).toBe(
      "c433ec8fde917454fa952a56f3f7d9d1dd4b879eb7d981357e95ae81fb73f8595487bf1947cacd6212f0a7998b239f2885f7969ebe4ca4ca3680d4d1382012cd",
    );
  });

  it("signs the API hostname, not the address it connects to", () => {
    const viaTunnel = settings({ endpoint: { origin: "http://127.0.0.1:9999", signedHost: "api-xxxxxxxx.duosecurity.com", loopback: true } });
    const direct = settings({});
    const request = { method: "GET" as const, path: "/auth/v2/check", params: [] };
    expect(signRequest(viaTunnel, request, DATE).headers.Authorization).toBe(signRequest(direct, request, DATE).headers.Authorization);
    expect(signRequest(viaTunnel, request, DATE).url).toBe("http://127.0.0.1:9999/auth/v2/check");
  });
});
