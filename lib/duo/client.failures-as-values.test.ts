/**
 * Every way a call can go wrong comes back as a typed value, never an exception: FAIL envelopes (numeric
 * and string codes), network failures, timeouts, aborts, and answers that are not Duo's (malformed or
 * truncated JSON, a wrong Content-Type, an unexpected shape, a redirect, an oversized body).
 * A network failure on /auth is never retried: Duo may already have pushed or called the user.
 */
import http from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fail, ok, startSignatureCheckingServer, type Reply, type TestDuoServer } from "../../test/support/signature-checking-server";
import { DuoClient } from "./client";
import { DuoAbortedError, DuoApiError, DuoNetworkError, DuoProtocolError, DuoTimeoutError, type DuoResult } from "./errors";
import { MAX_RESPONSE_BYTES } from "./transport";

const IKEY = "DIXXXXXXXXXXXXXXXXXX";
const SKEY = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";

let server: TestDuoServer;
let duo: DuoClient;
beforeAll(async () => {
  server = await startSignatureCheckingServer({ ikey: IKEY, skey: SKEY, signedHost: "api-xxxxxxxx.duosecurity.com" });
  duo = new DuoClient({ ikey: IKEY, skey: SKEY, endpoint: server.endpoint, timeouts: { defaultMs: 2_000, syncAuthMs: 2_000, authStatusMs: 2_000 } });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function answer(reply: Reply) {
  server.handle(() => reply);
}

function failure<T>(result: DuoResult<T>) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe("FAIL envelopes become DuoApiError", () => {
  it("with a numeric code, message, detail and HTTP status", async () => {
    answer(fail(400, 40002, "Invalid request parameters", "no capable device"));
    const error = failure(await duo.auth({ username: "alice", factor: "sms" }));
    expect(error).toBeInstanceOf(DuoApiError);
    expect(error).toMatchObject({ kind: "api", code: 40002, message: "Invalid request parameters", messageDetail: "no capable device", httpStatus: 400, path: "/auth/v2/auth" });
  });

  it("with a string code, kept as Duo sent it", async () => {
    answer(fail(400, "40002", "Invalid request parameters"));
    const error = failure(await duo.check());
    expect(error).toMatchObject({ kind: "api", code: "40002", messageDetail: undefined });
    expect(error instanceof DuoApiError && error.numericCode).toBe(40002);
  });

  it("with an empty string code (seen by Duo's Go client)", async () => {
    answer(fail(500, "", "Unknown internal server error"));
    const error = failure(await duo.check());
    expect(error).toMatchObject({ kind: "api", code: "", httpStatus: 500 });
    expect(error instanceof DuoApiError && error.numericCode).toBeNull();
  });

  it("with no code at all: derived from the HTTP status", async () => {
    answer({ kind: "json", status: 503, body: { stat: "FAIL", message: "Service unavailable" } });
    expect(failure(await duo.check())).toMatchObject({ kind: "api", code: 50300, httpStatus: 503 });
  });

  it("a stat OK with a non-200 status is not trusted", async () => {
    answer({ kind: "json", status: 201, body: { stat: "OK", response: { time: 1 } } });
    expect(failure(await duo.check())).toMatchObject({ kind: "protocol", problem: "unexpected-shape", httpStatus: 201 });
  });
});

describe("answers that are not Duo's become DuoProtocolError", () => {
  it("malformed JSON", async () => {
    answer({ kind: "raw", contentType: "application/json", body: '{"stat":"OK","response":{' });
    const error = failure(await duo.check());
    expect(error).toBeInstanceOf(DuoProtocolError);
    expect(error).toMatchObject({ problem: "malformed-body", bodyPreview: '{"stat":"OK","response":{' });
  });

  it("a body cut short by a dropped connection", async () => {
    answer({ kind: "truncate", declaredLength: 500, body: '{"stat":"OK","resp' });
    expect(failure(await duo.preauth({ username: "alice" }))).toMatchObject({ kind: "protocol", problem: "truncated-body" });
  });

  it("a wrong Content-Type, e.g. a proxy's HTML error page", async () => {
    answer({ kind: "raw", status: 502, contentType: "text/html", body: "<html><body>Bad Gateway</body></html>" });
    const error = failure(await duo.check());
    expect(error).toMatchObject({ kind: "protocol", problem: "unexpected-content-type", httpStatus: 502 });
    expect(error.kind === "protocol" && error.bodyPreview).toContain("Bad Gateway");
  });

  it("JSON that is not an envelope", async () => {
    answer({ kind: "json", body: { time: 1 } });
    expect(failure(await duo.check())).toMatchObject({ kind: "protocol", problem: "unexpected-shape" });
  });

  it("an envelope whose response has the wrong shape", async () => {
    answer(ok({ time: "noon" }));
    expect(failure(await duo.check())).toMatchObject({ kind: "protocol", problem: "unexpected-shape" });
  });

  it("an unknown preauth result fails closed instead of being guessed", async () => {
    answer(ok({ result: "maybe", status_msg: "?" }));
    expect(failure(await duo.preauth({ username: "alice" }))).toMatchObject({ kind: "protocol", problem: "unexpected-shape" });
  });

  it("a synchronous auth answering waiting is refused (it can only be allow or deny)", async () => {
    answer(ok({ result: "waiting", status: "pushed", status_msg: "Pushed" }));
    expect(failure(await duo.auth({ username: "alice", factor: "push" }))).toMatchObject({ kind: "protocol" });
  });

  it("a redirect is not followed", async () => {
    answer({ kind: "raw", status: 302, body: "", headers: { Location: "http://127.0.0.1:1/elsewhere" } });
    expect(failure(await duo.check())).toMatchObject({ kind: "protocol", problem: "redirect", httpStatus: 302 });
    expect(server.requests).toHaveLength(1);
  });

  it("a body larger than the client accepts", async () => {
    answer({ kind: "raw", contentType: "application/json", body: Buffer.alloc(MAX_RESPONSE_BYTES + 1, 0x20) });
    expect(failure(await duo.check())).toMatchObject({ kind: "protocol", problem: "body-too-large" });
  });
});

describe("network failures, timeouts and aborts", () => {
  it("a dropped connection on /auth is a DuoNetworkError and is not retried", async () => {
    answer({ kind: "destroy" });
    const error = failure(await duo.auth({ username: "alice", factor: "push" }));
    expect(error).toBeInstanceOf(DuoNetworkError);
    expect(server.requests).toHaveLength(1);
  });

  it("the same holds for an async /auth and for every other endpoint", async () => {
    answer({ kind: "destroy" });
    expect(failure(await duo.auth({ username: "alice", factor: "push", async: true })).kind).toBe("network");
    expect(failure(await duo.preauth({ userId: "DUKVGHTEPSSS7I388F7P" })).kind).toBe("network");
    expect(server.requests).toHaveLength(2);
  });

  it("a refused connection is a DuoNetworkError", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = new DuoClient({ ikey: IKEY, skey: SKEY, endpoint: { origin: `http://127.0.0.1:${port}`, signedHost: "api-x.duosecurity.com", loopback: true } });
    const error = failure(await nowhere.check());
    expect(error.kind).toBe("network");
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("no answer within the timeout is a DuoTimeoutError naming the timeout", async () => {
    answer({ kind: "hang" });
    const error = failure(await duo.check({ timeoutMs: 100 }));
    expect(error).toBeInstanceOf(DuoTimeoutError);
    expect(error).toMatchObject({ kind: "timeout", timeoutMs: 100 });
  });

  it("a synchronous auth and auth_status get the long timeout, everything else the short one", async () => {
    const timed = new DuoClient({ ikey: IKEY, skey: SKEY, endpoint: server.endpoint, timeouts: { defaultMs: 100, syncAuthMs: 5_000, authStatusMs: 5_000 } });
    answer({ kind: "delay", ms: 400, then: ok({ result: "allow", status: "allow", status_msg: "Success" }) });
    expect((await timed.auth({ username: "alice", factor: "push" })).ok).toBe(true);
    expect((await timed.authStatus("tx")).ok).toBe(true);
    expect((await timed.request("POST", "/auth/v2/auth", [["username", "alice"], ["factor", "push"], ["device", "auto"]])).ok).toBe(true);
    expect(failure(await timed.auth({ username: "alice", factor: "push", async: true })).kind).toBe("timeout");
    expect(failure(await timed.preauth({ username: "alice" })).kind).toBe("timeout");
    expect(failure(await timed.request("POST", "/auth/v2/auth", [["username", "alice"], ["async", "1"]])).kind).toBe("timeout");
  });

  it("a body that stalls after the headers also times out", async () => {
    // The scripted server drops truncated bodies; this one sends headers and part of a body, then stalls.
    const stalling = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
      res.write('{"stat":');
    });
    await new Promise<void>((resolve) => stalling.listen(0, "127.0.0.1", resolve));
    const { port } = stalling.address() as AddressInfo;
    const slow = new DuoClient({ ikey: IKEY, skey: SKEY, endpoint: { origin: `http://127.0.0.1:${port}`, signedHost: "api-x.duosecurity.com", loopback: true } });
    try {
      expect(failure(await slow.check({ timeoutMs: 100 }))).toMatchObject({ kind: "timeout" });
    } finally {
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });

  it("the caller's AbortSignal ends a long-poll as DuoAbortedError", async () => {
    answer({ kind: "hang" });
    const controller = new AbortController();
    const pending = duo.authStatus("f50324f8-42ce-419d-8403-ed6b78e72d44", { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = failure(await pending);
    expect(error).toBeInstanceOf(DuoAbortedError);
  });

  it("an already-aborted signal sends nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    expect(failure(await duo.check({ signal: controller.signal })).kind).toBe("aborted");
    expect(server.requests).toHaveLength(0);
  });
});

describe("caller bugs throw a typed DuoArgumentError", () => {
  it("both username and userId (for JavaScript callers the types cannot stop)", async () => {
    const both = { username: "alice", userId: "DU1" } as unknown as { username: string };
    await expect(duo.preauth(both)).rejects.toMatchObject({ name: "DuoArgumentError" });
  });

  it("a pushinfo Duo would refuse (20,000 bytes or more URL-encoded)", async () => {
    await expect(duo.auth({ username: "alice", factor: "push", pushinfo: { note: "x".repeat(20_000) } })).rejects.toMatchObject({
      name: "DuoArgumentError",
    });
    expect(server.requests).toHaveLength(0);
  });
});
