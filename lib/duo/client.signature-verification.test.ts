/**
 * Every request the client sends verifies under an independent signer (test/support/reference-signer.ts),
 * over real HTTP, for GET and POST, signature v2 (SHA-1 and SHA-512) and v5, with either date header,
 * and with awkward parameters. The server also decodes the parameters the way Duo must, so a value that
 * reaches Duo changed (a `+` read as a space, a lost empty value) fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSignatureCheckingServer, ok, type TestDuoServer } from "../../test/support/signature-checking-server";
import { DuoClient, type DuoClientOptions } from "./client";
import { parseRequestDate } from "./signing";

const IKEY = "DIXXXXXXXXXXXXXXXXXX";
const SKEY = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
const SIGNED_HOST = "api-xxxxxxxx.duosecurity.com";

const AWKWARD: Array<[string, string]> = [
  ["username", "Zoë Ångström ☃ 😀"],
  ["spaces", " a  b "],
  ["operators", "a&b=c+d;e"],
  ["tilde", "~user"],
  ["star", "*"],
  ["quotes", "!'()\"`"],
  ["empty", ""],
  ["url", "/path?x=1#frag"],
  ["percent", "100%25 %zz"],
  ["controls", "a\nb\tc"],
  ["ключ", "значение"],
];
/** Duo's Auth API has no repeated parameters; the generic request must still sign them like the official clients. */
const REPEATED: Array<[string, string]> = [
  ["repeat", "2"],
  ["repeat", "1"],
];

const CONFIGS: Array<{ name: string; options: Partial<DuoClientOptions>; version: 2 | 5; digest: "sha1" | "sha512" }> = [
  { name: "v5 (default)", options: {}, version: 5, digest: "sha512" },
  { name: "v5 with X-Duo-Date", options: { dateHeader: "X-Duo-Date" }, version: 5, digest: "sha512" },
  { name: "v2 HMAC-SHA512", options: { sigVersion: 2 }, version: 2, digest: "sha512" },
  { name: "v2 HMAC-SHA1", options: { sigVersion: 2, digest: "sha1" }, version: 2, digest: "sha1" },
  { name: "v2 with X-Duo-Date", options: { sigVersion: 2, dateHeader: "X-Duo-Date" }, version: 2, digest: "sha512" },
];

let server: TestDuoServer;

beforeAll(async () => {
  server = await startSignatureCheckingServer({ ikey: IKEY, skey: SKEY, signedHost: SIGNED_HOST, handler: () => ok({ echoed: true }) });
});
afterAll(() => server.close());

function client(options: Partial<DuoClientOptions> = {}): DuoClient {
  return new DuoClient({ ikey: IKEY, skey: SKEY, endpoint: server.endpoint, ...options });
}

function sorted(pairs: Array<[string, string]>): string[] {
  return pairs.map(([k, v]) => JSON.stringify([k, v])).sort();
}

function lastRequest() {
  const request = server.requests.at(-1);
  if (!request) throw new Error("no request reached the server");
  return request;
}

describe.each(CONFIGS)("$name", ({ options, version, digest }) => {
  it("signs a GET with awkward query parameters", async () => {
    const result = await client(options).request("GET", "/auth/v2/auth_status", [...AWKWARD, ...REPEATED]);
    expect(result).toEqual({ ok: true, value: { echoed: true } });
    const received = lastRequest();
    expect(received.signature).toEqual({ valid: true, version, digest });
    expect(received.method).toBe("GET");
    expect(received.rawBody.length).toBe(0);
    expect(sorted(received.params)).toEqual(sorted([...AWKWARD, ...REPEATED]));
  });

  it("signs a POST with awkward body parameters", async () => {
    // v5 sends a repeated key as a JSON array, as duo_client_python sends a list.
    const params = [...AWKWARD, ...REPEATED];
    const result = await client(options).request("POST", "/auth/v2/preauth", params);
    expect(result.ok).toBe(true);
    const received = lastRequest();
    expect(received.signature).toEqual({ valid: true, version, digest });
    expect(received.query).toEqual([]);
    expect(received.contentType).toBe(version === 5 ? "application/json" : "application/x-www-form-urlencoded");
    expect(sorted(received.params)).toEqual(sorted(params));
  });

  it("signs a POST without parameters", async () => {
    expect((await client(options).request("POST", "/auth/v2/enroll")).ok).toBe(true);
    const received = lastRequest();
    expect(received.signature).toEqual({ valid: true, version, digest });
    // v5 sends {} for no parameters, as every official client does; v2 an empty form.
    expect(received.rawBody.toString()).toBe(version === 5 ? "{}" : "");
  });

  it("signs the typed endpoints, pushinfo included", async () => {
    const duo = client(options);
    server.handle(() => ok({ result: "allow", status: "allow", status_msg: "Success. Logging you in..." }));
    try {
      const auth = await duo.auth({
        username: "zoë+1@example.com",
        factor: "push",
        type: "Sign in",
        displayUsername: "Zoë",
        pushinfo: { from: "login portal", "ip address": "10.0.0.1&x=y" },
        ipaddr: "10.0.0.1",
      });
      expect(auth.ok).toBe(true);
      const received = lastRequest();
      expect(received.signature).toEqual({ valid: true, version, digest });
      expect(sorted(received.params)).toEqual(
        sorted([
          ["username", "zoë+1@example.com"],
          ["factor", "push"],
          ["device", "auto"],
          ["type", "Sign in"],
          ["display_username", "Zoë"],
          ["pushinfo", "from=login%20portal&ip%20address=10.0.0.1%26x%3Dy"],
          ["ipaddr", "10.0.0.1"],
        ]),
      );
    } finally {
      server.handle(() => ok({ echoed: true }));
    }
  });

  it("sends a date Duo can parse, in the chosen header", async () => {
    await client(options).request("GET", "/auth/v2/check");
    const headers = lastRequest().headers;
    const name = options.dateHeader === "X-Duo-Date" ? "x-duo-date" : "date";
    const value = headers[name];
    expect(typeof value).toBe("string");
    expect(parseRequestDate(String(value))).not.toBeNull();
    if (name === "x-duo-date") expect(headers.date).toBeUndefined();
  });
});

describe("what the server must refuse", () => {
  it("a signature over a different host is refused with 40103 (the server checks, so the tests above could fail)", async () => {
    const wrongHost = new DuoClient({ ikey: IKEY, skey: SKEY, endpoint: { ...server.endpoint, signedHost: "api-other.duosecurity.com" } });
    const result = await wrongHost.check();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ kind: "api", code: 40103, httpStatus: 401 });
    expect(lastRequest().signature.valid).toBe(false);
  });

  it("a wrong secret key is refused with 40103", async () => {
    const wrongKey = client({ skey: "0".repeat(40) });
    const result = await wrongKey.preauth({ username: "alice" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ kind: "api", code: 40103 });
  });

  it("the secret key never travels: not in the URL, the headers or the body", async () => {
    await client().request("POST", "/auth/v2/preauth", [["username", "alice"]]);
    await client({ sigVersion: 2 }).request("GET", "/auth/v2/check");
    for (const request of server.requests.slice(-2)) {
      const everything = JSON.stringify(request.headers) + request.rawBody.toString() + JSON.stringify(request.query);
      expect(everything).not.toContain(SKEY);
    }
  });
});
