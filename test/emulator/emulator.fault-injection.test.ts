/**
 * Fault injection through the control API (POST/GET/DELETE /emulator/v1/faults): each mode makes signed
 * Auth API requests fail the way a real outage does, `count` bounds it, DELETE ends it, and with no fault
 * set the emulator answers exactly as before. The official Node client sees the same failures.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../lib/emulator/server";
import { EmulatorControl } from "../support/emulator-control";
import { control, duoRequest, failCode, okResponse, rawRequest, startTestEmulator, userWithPhone } from "./helpers";

let emulator: RunningEmulator;
let client: EmulatorControl;
beforeAll(async () => {
  emulator = await startTestEmulator();
  client = new EmulatorControl(emulator.url);
  await userWithPhone(emulator, "faulty");
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await client.clearFaults();
});

describe("modes", () => {
  it("http500 answers a bare HTTP 500 page, not a Duo envelope", async () => {
    await client.setFault({ mode: "http500" });
    const answer = await duoRequest(emulator, "POST", "/auth/v2/preauth", { username: "faulty" });
    expect(answer.status).toBe(500);
    expect(answer.headers["content-type"]).toBe("text/html");
    expect(answer.json).toBeUndefined();
  });

  it("fail50001 answers Duo's 50001 FAIL envelope with HTTP 500", async () => {
    await client.setFault({ mode: "fail50001" });
    expect(failCode(await duoRequest(emulator, "GET", "/auth/v2/check"))).toEqual({ status: 500, code: 50001, message: "Unknown internal server error", detail: undefined });
  });

  it("http429 answers 42901, with Retry-After only when scripted", async () => {
    await client.setFault({ mode: "http429", retryAfter: 2 });
    const limited = await duoRequest(emulator, "GET", "/auth/v2/check");
    expect(failCode(limited).code).toBe(42901);
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("2");
    await client.setFault({ mode: "http429" });
    expect((await duoRequest(emulator, "GET", "/auth/v2/check")).headers["retry-after"]).toBeUndefined();
  });

  it("slow holds each request for delayMs, then answers normally", async () => {
    await client.setFault({ mode: "slow", delayMs: 400 });
    const started = performance.now();
    const answer = okResponse<{ result: string }>(await duoRequest(emulator, "POST", "/auth/v2/preauth", { username: "faulty" }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(answer.result).toBe("auth");
  });

  it("slow lets a client that gives up go (nothing is answered to a closed connection)", async () => {
    await client.setFault({ mode: "slow", delayMs: 60_000, count: 1 });
    const gaveUp = duoRequest(emulator, "GET", "/auth/v2/check", {}, { tamper: (request) => ({ ...request, signal: AbortSignal.timeout(200) }) });
    await expect(gaveUp).rejects.toThrow();
    // The one scripted slow request was the abandoned one: the next is served at once.
    const started = performance.now();
    okResponse(await duoRequest(emulator, "GET", "/auth/v2/check"));
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("scope", () => {
  it("leaves the unsigned /ping, and requests that fail verification, alone", async () => {
    await client.setFault({ mode: "fail50001" });
    okResponse(await rawRequest(emulator.port, { method: "GET", path: "/auth/v2/ping" }));
    expect(failCode(await duoRequest(emulator, "GET", "/auth/v2/check", {}, { skey: "y".repeat(40) })).code).toBe(40103);
    expect((await client.faults()).applied).toBe(0);
  });

  it("count bounds the fault; service resumes afterwards", async () => {
    expect(await client.setFault({ mode: "http500", count: 2 })).toMatchObject({ mode: "http500", remaining: 2, applied: 0 });
    expect((await duoRequest(emulator, "GET", "/auth/v2/check")).status).toBe(500);
    expect((await duoRequest(emulator, "GET", "/auth/v2/check")).status).toBe(500);
    okResponse(await duoRequest(emulator, "GET", "/auth/v2/check"));
    expect(await client.faults()).toMatchObject({ mode: null, remaining: null, applied: 2 });
  });

  it("DELETE ends an open-ended fault at once", async () => {
    await client.setFault({ mode: "fail50001" });
    expect((await duoRequest(emulator, "GET", "/auth/v2/check")).status).toBe(500);
    expect(await client.clearFaults()).toMatchObject({ mode: null, applied: 0, rate_limit: 0 });
    okResponse(await duoRequest(emulator, "GET", "/auth/v2/check"));
  });

  it("a reset clears faults too", async () => {
    await client.setFault({ mode: "http500" });
    await client.reset();
    await userWithPhone(emulator, "faulty");
    okResponse(await duoRequest(emulator, "GET", "/auth/v2/check"));
  });
});

describe("the request body", () => {
  it.each([
    [{ mode: "slow" }, "delayMs"],
    [{ mode: "http500", delayMs: 10 }, "delayMs"],
    [{ mode: "fail50001", retryAfter: 3 }, "retryAfter"],
    [{ mode: "http500", count: 0 }, "count"],
  ])("refuses %j (400 naming %s)", async (body, field) => {
    const answer = await control(emulator, "POST", "/faults", body);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.json)).toContain(field);
    expect((await client.faults()).mode).toBeNull();
  });

  it("refuses an unknown mode, and sets nothing", async () => {
    expect((await control(emulator, "POST", "/faults", { mode: "meltdown" })).status).toBe(400);
    expect((await client.faults()).mode).toBeNull();
    okResponse(await duoRequest(emulator, "GET", "/auth/v2/check"));
  });

  it("still takes the original { rate_limit } form", async () => {
    expect(await control(emulator, "POST", "/faults", { rate_limit: 1 })).toEqual({ status: 200, json: { rate_limit: 1, retry_after: null } });
    expect(failCode(await duoRequest(emulator, "GET", "/auth/v2/check")).code).toBe(42901);
    okResponse(await duoRequest(emulator, "GET", "/auth/v2/check"));
  });
});
