/**
 * The health check tells an operator what is wrong with their Duo setup: a clock off from Duo's (measured
 * from /check, or from /ping when Duo refuses our date), bad keys, Admin API keys, an unreachable host,
 * rate limiting — each with an explanation and a fix, and never a secret in what it reports.
 */
import http from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fail, ok, startSignatureCheckingServer, type TestDuoServer } from "../../test/support/signature-checking-server";
import { DuoClient } from "./client";
import { DuoApiError } from "./errors";
import { explainDuoErrorCode, explainDuoFailure } from "./explain";
import { CLOCK_SKEW_WARN_SECONDS, checkDuoHealth, duoHealthLogFields } from "./health";

const IKEY = "DIXXXXXXXXXXXXXXXXXX";
const SKEY = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";

let server: TestDuoServer;
let duo: DuoClient;
beforeAll(async () => {
  server = await startSignatureCheckingServer({ ikey: IKEY, skey: SKEY, signedHost: "api-xxxxxxxx.duosecurity.com" });
  duo = new DuoClient({ ikey: IKEY, skey: SKEY, endpoint: server.endpoint });
});
afterAll(() => server.close());

const duoNow = (offsetSeconds = 0) => Math.floor(Date.now() / 1000) + offsetSeconds;

describe("checkDuoHealth", () => {
  it("ok when /check succeeds and the clocks agree", async () => {
    server.handle(() => ok({ time: duoNow() }));
    const health = await checkDuoHealth(duo);
    expect(health).toMatchObject({ verdict: "ok", reachable: true, problem: null, error: null, origin: server.endpoint.origin });
    expect(Math.abs(health.skewSeconds ?? Infinity)).toBeLessThanOrEqual(1);
  });

  it("clock-skewed when Duo's time is ahead by more than the threshold, though Duo still answers", async () => {
    server.handle(() => ok({ time: duoNow(CLOCK_SKEW_WARN_SECONDS + 60) }));
    const health = await checkDuoHealth(duo);
    expect(health).toMatchObject({ verdict: "clock-skewed", reachable: true });
    expect(health.skewSeconds).toBeGreaterThanOrEqual(CLOCK_SKEW_WARN_SECONDS + 59);
    expect(health.problem?.summary).toMatch(/behind Duo's/);
  });

  it("measures the skew with /ping when Duo refuses our date (40105)", async () => {
    server.handle((request) => (request.path.endsWith("/ping") ? ok({ time: duoNow(-600) }) : fail(401, 40105, "Bad request timestamp")));
    const health = await checkDuoHealth(duo);
    expect(health.verdict).toBe("clock-skewed");
    expect(health.skewSeconds).toBeGreaterThanOrEqual(-601);
    expect(health.skewSeconds).toBeLessThanOrEqual(-599);
    expect(health.problem?.summary).toContain("40105");
    expect(health.problem?.summary).toMatch(/ahead of Duo's/);
  });

  it.each([
    [40101, "Missing request credentials"],
    [40102, "Invalid integration key in request credentials"],
    [40103, "Invalid signature in request credentials"],
    [40104, "Missing request timestamp"],
  ])("bad-credentials for %i", async (code, message) => {
    server.handle(() => fail(401, code, message));
    const health = await checkDuoHealth(duo);
    expect(health).toMatchObject({ verdict: "bad-credentials", reachable: false, skewSeconds: null });
    expect(health.problem).toEqual(explainDuoErrorCode(code));
  });

  it("wrong-integration-type for Admin API keys (40301)", async () => {
    server.handle(() => fail(403, 40301, "Access forbidden", "Wrong integration type for this API."));
    const health = await checkDuoHealth(duo);
    expect(health.verdict).toBe("wrong-integration-type");
    expect(health.problem?.fix).toContain("Auth API");
  });

  it("rate-limited when Duo keeps answering 429", async () => {
    server.handle(() => fail(429, 42901, "Too Many Requests"));
    const patient = new DuoClient({ ikey: IKEY, skey: SKEY, endpoint: server.endpoint, sleep: async () => undefined });
    expect((await checkDuoHealth(patient)).verdict).toBe("rate-limited");
  });

  it("unreachable within its deadline when Duo does not answer", async () => {
    server.handle(() => ({ kind: "hang" }));
    const health = await checkDuoHealth(duo, { deadlineMs: 100 });
    expect(health).toMatchObject({ verdict: "unreachable", reachable: false });
    expect(health.error?.kind).toBe("timeout");
  });

  it("unreachable with the emulator's fix when nothing listens on the emulator's port", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const emulator = new DuoClient({ ikey: IKEY, skey: SKEY, endpoint: { origin: `http://127.0.0.1:${port}`, signedHost: "127.0.0.1", loopback: true } });
    const health = await checkDuoHealth(emulator);
    expect(health).toMatchObject({ verdict: "unreachable", emulator: true });
    expect(health.problem?.fix).toContain("npm run emulator");
  });

  it("unexpected when something other than Duo answers", async () => {
    server.handle(() => ({ kind: "raw", status: 200, contentType: "text/html", body: "<h1>Welcome to the hotel Wi-Fi</h1>" }));
    const remote = new DuoClient({ ikey: IKEY, skey: SKEY, endpoint: { ...server.endpoint, loopback: false } });
    const health = await checkDuoHealth(remote);
    expect(health.verdict).toBe("unexpected");
    expect(health.problem?.fix).toContain("DUO_HOST");
  });

  it("log fields name the problem and carry no secret", async () => {
    server.handle(() => fail(401, 40103, "Invalid signature in request credentials"));
    const fields = duoHealthLogFields(await checkDuoHealth(duo));
    expect(fields).toMatchObject({ verdict: "bad-credentials", duo_code: "40103" });
    expect(JSON.stringify(fields)).not.toContain(SKEY);
    expect(JSON.stringify(fields)).not.toContain("Basic ");
  });
});

describe("explainDuoErrorCode", () => {
  it("explains each documented credential code, numeric or string, and nothing else", () => {
    for (const code of [40101, 40102, 40103, 40104, 40105, 40301]) {
      const problem = explainDuoErrorCode(code);
      expect(problem?.summary).toContain(String(code));
      expect(explainDuoErrorCode(String(code))).toEqual(problem);
    }
    expect(explainDuoErrorCode(40002)).toBeNull();
    expect(explainDuoErrorCode("")).toBeNull();
  });

  it("points a parameter error (40001/40002) at the parameter Duo named", () => {
    const error = new DuoApiError({ code: 40001, message: "Missing required request parameters", messageDetail: "device", httpStatus: 400 }, { method: "POST", path: "/auth/v2/auth" });
    expect(explainDuoFailure(error, { emulator: false }).fix).toContain('"device"');
  });
});
