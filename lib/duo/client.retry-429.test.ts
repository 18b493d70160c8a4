/**
 * HTTP 429 is retried exactly as Duo's official clients do (§2.3): 1, 2, 4, 8, 16, 32 s plus 0–1 s of
 * jitter, 7 attempts at most, then the 429 is returned. Retry-After (seconds or HTTP date) replaces the
 * computed wait; one beyond 32 s gives up at once. The clock is fake: sleeps are recorded, not waited.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fail, ok, startSignatureCheckingServer, type Reply, type TestDuoServer } from "../../test/support/signature-checking-server";
import { DuoClient, type DuoClientOptions } from "./client";

const IKEY = "DIXXXXXXXXXXXXXXXXXX";
const SKEY = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
const START_MS = Date.UTC(2026, 0, 15, 12, 0, 0);

let server: TestDuoServer;
beforeAll(async () => {
  server = await startSignatureCheckingServer({ ikey: IKEY, skey: SKEY, signedHost: "api-xxxxxxxx.duosecurity.com" });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const rateLimited = (headers?: Record<string, string>): Reply => fail(429, 42901, "Too Many Requests", undefined, headers);

/** Answers the scripted replies in order, then the last one forever. */
function script(...replies: Reply[]) {
  let index = 0;
  server.handle(() => replies[Math.min(index++, replies.length - 1)] ?? rateLimited());
}

function fakeClock(options: Partial<DuoClientOptions> = {}) {
  let now = START_MS;
  const sleeps: number[] = [];
  const duo = new DuoClient({
    ikey: IKEY,
    skey: SKEY,
    endpoint: server.endpoint,
    clock: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.123,
    ...options,
  });
  return { duo, sleeps };
}

describe("HTTP 429 backoff", () => {
  it("follows the official schedule and gives up after 7 attempts (duo_client_python's TestRetryRequests)", async () => {
    script(rateLimited());
    const { duo, sleeps } = fakeClock();
    const result = await duo.check();
    expect(server.requests).toHaveLength(7);
    expect(sleeps.map(Math.round)).toEqual([1123, 2123, 4123, 8123, 16123, 32123]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ kind: "api", code: 42901, httpStatus: 429, message: "Too Many Requests" });
  });

  it("re-signs every attempt with a fresh date, and each one verifies", async () => {
    script(rateLimited(), rateLimited(), ok({ time: 1 }));
    const { duo } = fakeClock();
    await duo.check();
    expect(server.requests.map((r) => r.signature.valid)).toEqual([true, true, true]);
    const dates = server.requests.map((r) => r.headers.date);
    expect(new Set(dates).size).toBe(3);
  });

  it("succeeds as soon as Duo stops refusing", async () => {
    script(rateLimited(), rateLimited(), ok({ time: 1_700_000_000 }));
    const { duo, sleeps } = fakeClock();
    expect(await duo.check()).toEqual({ ok: true, value: { time: 1_700_000_000 } });
    expect(sleeps.map(Math.round)).toEqual([1123, 2123]);
  });

  it("keeps jitter within [0, 1 s) of the base wait", async () => {
    script(rateLimited());
    for (const value of [0, 0.5, 0.999999]) {
      const { duo, sleeps } = fakeClock({ random: () => value });
      await duo.check();
      sleeps.forEach((ms, i) => {
        const base = 1000 * 2 ** i;
        expect(ms).toBeGreaterThanOrEqual(base);
        expect(ms).toBeLessThan(base + 1000);
      });
    }
  });

  it("with the default random source, every wait is the base plus under a second", async () => {
    script(rateLimited());
    const { duo, sleeps } = fakeClock({ random: undefined });
    await duo.check();
    expect(sleeps).toHaveLength(6);
    sleeps.forEach((ms, i) => {
      expect(ms - 1000 * 2 ** i).toBeGreaterThanOrEqual(0);
      expect(ms - 1000 * 2 ** i).toBeLessThan(1000);
    });
  });

  it("honours Retry-After in seconds, exactly and without jitter", async () => {
    script(rateLimited({ "Retry-After": "3" }), ok({ time: 1 }));
    const { duo, sleeps } = fakeClock();
    expect((await duo.check()).ok).toBe(true);
    expect(sleeps).toEqual([3000]);
  });

  it("honours Retry-After as an HTTP date, relative to our clock", async () => {
    const inFiveSeconds = new Date(START_MS + 5_000).toUTCString();
    script(rateLimited({ "Retry-After": inFiveSeconds }), ok({ time: 1 }));
    const { duo, sleeps } = fakeClock();
    expect((await duo.check()).ok).toBe(true);
    expect(sleeps).toEqual([5000]);
  });

  it("gives up at once when Retry-After asks for more than 32 s", async () => {
    script(rateLimited({ "Retry-After": "33" }));
    const { duo, sleeps } = fakeClock();
    const result = await duo.check();
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(result.ok ? null : result.error.kind).toBe("api");
  });

  it("still gives up after 7 attempts when every answer carries a small Retry-After", async () => {
    script(rateLimited({ "Retry-After": "1" }));
    const { duo, sleeps } = fakeClock();
    await duo.check();
    expect(server.requests).toHaveLength(7);
    expect(sleeps).toEqual([1000, 1000, 1000, 1000, 1000, 1000]);
  });

  it("falls back to the computed wait when Retry-After is unreadable", async () => {
    script(rateLimited({ "Retry-After": "soon" }), ok({ time: 1 }));
    const { duo, sleeps } = fakeClock();
    await duo.check();
    expect(sleeps.map(Math.round)).toEqual([1123]);
  });

  it("does not retry when maxBackoffSeconds is 0", async () => {
    script(rateLimited());
    const { duo, sleeps } = fakeClock({ maxBackoffSeconds: 0 });
    await duo.check();
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("retries /auth on 429 too (Duo refused it, so nothing was pushed)", async () => {
    script(rateLimited(), ok({ txid: "f50324f8-42ce-419d-8403-ed6b78e72d44" }));
    const { duo } = fakeClock();
    const result = await duo.auth({ username: "alice", factor: "push", async: true });
    expect(result).toEqual({ ok: true, value: { txid: "f50324f8-42ce-419d-8403-ed6b78e72d44" } });
    expect(server.requests).toHaveLength(2);
  });

  it("stops waiting when the caller aborts during a backoff", async () => {
    script(rateLimited());
    const controller = new AbortController();
    const duo = new DuoClient({ ikey: IKEY, skey: SKEY, endpoint: server.endpoint });
    server.handle(() => {
      // Abort while the client waits the first (real, 1–2 s) backoff.
      setTimeout(() => controller.abort(), 20);
      return rateLimited();
    });
    const result = await duo.check({ signal: controller.signal });
    expect(result.ok ? null : result.error.kind).toBe("aborted");
    expect(server.requests).toHaveLength(1);
  });
});
