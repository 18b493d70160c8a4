/**
 * The emulator verifies requests the way Duo does (shared/duo-auth-api.md §8.2): every signature
 * version and digest official clients use is accepted, and any change to a signed field is 40103.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../lib/emulator/server";
import { duoRequest, failCode, okResponse, rawRequest, startTestEmulator, type RawRequest, type SignOptions } from "./helpers";

let emulator: RunningEmulator;
const ADMIN = { ikey: "DIADMINADMINADMINADM", skey: "adminsecretadminsecretadminsecretadminse", type: "admin" as const };

beforeAll(async () => {
  emulator = await startTestEmulator({ extraIntegrations: [ADMIN] });
});
afterAll(() => emulator.close());

const variants = [
  { name: "v2 HMAC-SHA1", version: 2, digest: "sha1" },
  { name: "v2 HMAC-SHA512", version: 2, digest: "sha512" },
  { name: "v5", version: 5, digest: "sha512" },
] as const;

describe.each(variants)("accepts $name", ({ version, digest }) => {
  it("GET /check", async () => {
    const response = await duoRequest(emulator, "GET", "/auth/v2/check", {}, { version, digest });
    expect(okResponse<{ time: number }>(response).time).toBeGreaterThan(1_600_000_000);
    expect(response.headers["content-type"]).toBe("application/json");
  });

  it("GET with query parameters", async () => {
    const response = await duoRequest(emulator, "GET", "/auth/v2/auth_status", { txid: "unknown-txid" }, { version, digest });
    expect(failCode(response)).toMatchObject({ status: 400, code: 40002, detail: "txid" });
  });

  it("POST with a body, including characters that need encoding", async () => {
    const response = await duoRequest(emulator, "POST", "/auth/v2/preauth", { username: "someone new ~!*()'", ipaddr: "10.0.0.1" }, { version, digest });
    expect(okResponse(response).result).toBe("enroll");
  });

  it("POST with a chunked body", async () => {
    const response = await duoRequest(emulator, "POST", "/auth/v2/preauth", { username: "chunked user" }, { version, digest, chunked: true });
    expect(okResponse(response).result).toBe("enroll");
  });

  it("the date in X-Duo-Date instead of Date", async () => {
    const response = await duoRequest(emulator, "GET", "/auth/v2/check", {}, { version, digest, dateHeader: "X-Duo-Date" });
    okResponse(response);
  });
});

describe("other accepted forms", () => {
  it("v2 POST with its parameters in the query string (Duo's Postman collection)", async () => {
    const response = await duoRequest(emulator, "POST", "/auth/v2/preauth", { username: "postman" }, { version: 2, digest: "sha1", paramsInQuery: true });
    expect(okResponse(response).result).toBe("enroll");
  });

  it("v5 with extra x-duo-* headers, which enter the header hash", async () => {
    const response = await duoRequest(emulator, "GET", "/auth/v2/check", {}, { version: 5, xDuoHeaders: { "X-Duo-Custom": "value" } });
    okResponse(response);
  });

  it("a signature over the Host header's name (the configured API host differs)", async () => {
    const named = await startTestEmulator({ apiHost: "api-emulator.duosecurity.com" });
    try {
      const byConfigured = await duoRequest(named, "GET", "/auth/v2/check", {}, { signedHost: "api-emulator.duosecurity.com" });
      okResponse(byConfigured);
      const byHostHeader = await duoRequest(named, "GET", "/auth/v2/check", {}, { signedHost: "localhost", tamper: (r) => ({ ...r, headers: { ...r.headers, Host: `localhost:${named.port}` } }) });
      okResponse(byHostHeader);
      const other = await duoRequest(named, "GET", "/auth/v2/check", {}, { signedHost: "elsewhere.example" });
      expect(failCode(other).code).toBe(40103);
    } finally {
      await named.close();
    }
  });

  it("/ping needs no signature", async () => {
    const response = await rawRequest(emulator.port, { method: "GET", path: "/auth/v2/ping" });
    expect(okResponse<{ time: number }>(response).time).toBeGreaterThan(0);
  });
});

describe("refuses", () => {
  it("a request without credentials: 401/40101", async () => {
    const response = await rawRequest(emulator.port, { method: "GET", path: "/auth/v2/check", headers: { Date: new Date().toUTCString() } });
    expect(failCode(response)).toEqual({ status: 401, code: 40101, message: "Missing request credentials", detail: undefined });
  });

  it("a garbled Authorization header: 401/40101", async () => {
    const response = await rawRequest(emulator.port, { method: "GET", path: "/auth/v2/check", headers: { Authorization: "Basic bm8tY29sb24=" } });
    expect(failCode(response).code).toBe(40101);
  });

  it("an unknown integration key: 401/40102", async () => {
    const response = await duoRequest(emulator, "GET", "/auth/v2/check", {}, { ikey: "DIUNKNOWNUNKNOWNUNKN" });
    expect(failCode(response)).toMatchObject({ status: 401, code: 40102, message: "Invalid integration key in request credentials" });
  });

  it("a missing date: 401/40104", async () => {
    const response = await duoRequest(emulator, "GET", "/auth/v2/check", {}, { tamper: (r) => ({ ...r, headers: withoutHeader(r, "Date") }) });
    expect(failCode(response)).toMatchObject({ status: 401, code: 40104, message: "Missing request timestamp" });
  });

  it.each(["Di, 21 Aug 2012 17:29:18 +0000", "yesterday", "2012-08-21T17:29:18Z"])("an unparseable date (%s): 401/40104", async (date) => {
    const response = await duoRequest(emulator, "GET", "/auth/v2/check", {}, { date });
    expect(failCode(response).code).toBe(40104);
  });

  it("a date outside the skew window: 401/40105", async () => {
    const stale = new Date(Date.now() - 301_000).toUTCString();
    expect(failCode(await duoRequest(emulator, "GET", "/auth/v2/check", {}, { date: stale }))).toMatchObject({ status: 401, code: 40105, message: "Bad request timestamp" });
    const future = new Date(Date.now() + 301_000).toUTCString();
    expect(failCode(await duoRequest(emulator, "GET", "/auth/v2/check", {}, { date: future })).code).toBe(40105);
  });

  it("Admin API keys on the Auth API: 403/40301", async () => {
    const response = await duoRequest(emulator, "GET", "/auth/v2/check", {}, { ikey: ADMIN.ikey, skey: ADMIN.skey });
    expect(failCode(response)).toEqual({ status: 403, code: 40301, message: "Access forbidden", detail: "Wrong integration type for this API." });
  });

  it("a wrong secret key: 401/40103", async () => {
    const response = await duoRequest(emulator, "GET", "/auth/v2/check", {}, { skey: "x".repeat(40) });
    expect(failCode(response)).toMatchObject({ status: 401, code: 40103, message: "Invalid signature in request credentials" });
  });
});

function withoutHeader(request: RawRequest, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(request.headers ?? {}).filter(([key]) => key.toLowerCase() !== name.toLowerCase()));
}

function setHeader(request: RawRequest, name: string, value: string): RawRequest {
  return { ...request, headers: { ...withoutHeader(request, name), [name]: value } };
}

const later = (request: RawRequest) => setHeader(request, "Date", new Date(Date.parse(request.headers?.Date ?? "") + 1000).toUTCString());

describe("every signed field, tampered after signing, gives 401/40103", () => {
  const tamperings: Array<{ field: string; version: 2 | 5; method: "GET" | "POST"; tamper: (r: RawRequest) => RawRequest }> = [
    { field: "date (v2)", version: 2, method: "POST", tamper: later },
    { field: "date (v5)", version: 5, method: "POST", tamper: later },
    { field: "a parameter value (v2 form)", version: 2, method: "POST", tamper: (r) => ({ ...r, body: String(r.body).replace("alice", "alicf") }) },
    { field: "a parameter name (v2 form)", version: 2, method: "POST", tamper: (r) => ({ ...r, body: String(r.body).replace("ipaddr", "ipaddx") }) },
    { field: "an added parameter (v2 form)", version: 2, method: "POST", tamper: (r) => ({ ...r, body: `${String(r.body)}&hostname=x` }) },
    { field: "an added query parameter (v2)", version: 2, method: "POST", tamper: (r) => ({ ...r, path: `${r.path}?hostname=x` }) },
    { field: "a query parameter (v5 GET)", version: 5, method: "GET", tamper: (r) => ({ ...r, path: r.path.replace("alice", "alicf") }) },
    { field: "an added query parameter (v5 POST)", version: 5, method: "POST", tamper: (r) => ({ ...r, path: `${r.path}?hostname=x` }) },
    { field: "one body byte (v5)", version: 5, method: "POST", tamper: (r) => ({ ...r, body: String(r.body).replace("alice", "alicf") }) },
    { field: "body whitespace (v5)", version: 5, method: "POST", tamper: (r) => ({ ...r, body: `${String(r.body)} ` }) },
    { field: "an x-duo header value (v5)", version: 5, method: "POST", tamper: (r) => setHeader(r, "X-Duo-Custom", "changed") },
    { field: "an added x-duo header (v5)", version: 5, method: "POST", tamper: (r) => setHeader(r, "X-Duo-Extra", "added") },
    { field: "a removed x-duo header (v5)", version: 5, method: "POST", tamper: (r) => ({ ...r, headers: withoutHeader(r, "X-Duo-Custom") }) },
    { field: "the date moved from Date to X-Duo-Date (v5)", version: 5, method: "POST", tamper: (r) => ({ ...setHeader(r, "X-Duo-Date", r.headers?.Date ?? ""), headers: { ...withoutHeader(r, "Date"), "X-Duo-Date": r.headers?.Date ?? "" } }) },
    { field: "a v5 JSON body sent as a form (v5)", version: 5, method: "POST", tamper: (r) => setHeader(r, "Content-Type", "application/x-www-form-urlencoded") },
  ];

  const signedDifferently: Array<{ field: string; version: 2 | 5; method: "GET" | "POST"; sign: SignOptions }> = [
    { field: "method (v2)", version: 2, method: "POST", sign: { signedMethod: "GET" } },
    { field: "method (v5)", version: 5, method: "GET", sign: { signedMethod: "POST" } },
    { field: "host (v2)", version: 2, method: "POST", sign: { signedHost: "other.example" } },
    { field: "host (v5)", version: 5, method: "POST", sign: { signedHost: "other.example" } },
    { field: "path case (v2)", version: 2, method: "POST", sign: { signedPath: "/auth/v2/Preauth" } },
    { field: "path (v5)", version: 5, method: "GET", sign: { signedPath: "/auth/v2/check" } },
  ];

  it.each(signedDifferently)("$field signed differently from what was sent", async ({ version, method, sign }) => {
    const path = method === "GET" ? "/auth/v2/auth_status" : "/auth/v2/preauth";
    const params: Record<string, string> = method === "GET" ? { txid: "alice" } : { username: "alice", ipaddr: "10.1.2.3" };
    const response = await duoRequest(emulator, method, path, params, { version, ...sign });
    expect(failCode(response)).toMatchObject({ status: 401, code: 40103 });
  });

  it.each(tamperings)("$field", async ({ version, method, tamper }) => {
    const path = method === "GET" ? "/auth/v2/auth_status" : "/auth/v2/preauth";
    const params: Record<string, string> = method === "GET" ? { txid: "alice" } : { username: "alice", ipaddr: "10.1.2.3" };
    const untouched = await duoRequest(emulator, method, path, params, { version, xDuoHeaders: version === 5 ? { "X-Duo-Custom": "v" } : {} });
    expect([200, 400]).toContain(untouched.status);
    const response = await duoRequest(emulator, method, path, params, { version, xDuoHeaders: version === 5 ? { "X-Duo-Custom": "v" } : {}, tamper });
    expect(failCode(response)).toMatchObject({ status: 401, code: 40103 });
  });
});

describe("responses", () => {
  it("are JSON with exactly Content-Type: application/json, failures included", async () => {
    const failure = await rawRequest(emulator.port, { method: "GET", path: "/auth/v2/check" });
    expect(failure.headers["content-type"]).toBe("application/json");
  });

  it("answer an unknown path with 404/40401 and a wrong method with 405/40501", async () => {
    expect(failCode(await rawRequest(emulator.port, { method: "GET", path: "/auth/v2/nothing" }))).toMatchObject({ status: 404, code: 40401 });
    const wrong = await rawRequest(emulator.port, { method: "POST", path: "/auth/v2/check" });
    expect(failCode(wrong)).toMatchObject({ status: 405, code: 40501 });
    expect(wrong.headers.allow).toBe("GET");
  });

  it("serve the logo as image/png to a signed request", async () => {
    const response = await duoRequest(emulator, "GET", "/auth/v2/logo");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("image/png");
    expect(response.body.subarray(1, 4).toString()).toBe("PNG");
  });
});
