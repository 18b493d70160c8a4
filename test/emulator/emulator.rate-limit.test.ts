/** Scripted rate limits (§2.3, §8.5): the next N signed requests get 429/42901, then service resumes. */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningEmulator } from "../../lib/emulator/server";
import { control, duoRequest, failCode, okResponse, rawRequest, startTestEmulator } from "./helpers";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

it("answers the next N signed requests with 429/42901 (and Retry-After when scripted), then recovers", async () => {
  expect(await control(emulator, "POST", "/faults", { rate_limit: 2, retry_after: 1 })).toEqual({ status: 200, json: { rate_limit: 2, retry_after: 1 } });

  // Neither /ping (unsigned) nor a request that fails verification uses up a scripted 429.
  okResponse(await rawRequest(emulator.port, { method: "GET", path: "/auth/v2/ping" }));
  expect(failCode(await duoRequest(emulator, "GET", "/auth/v2/check", {}, { skey: "y".repeat(40) })).code).toBe(40103);

  const first = await duoRequest(emulator, "POST", "/auth/v2/preauth", { username: "busy" });
  expect(failCode(first)).toEqual({ status: 429, code: 42901, message: "Too Many Requests", detail: undefined });
  expect(first.headers["retry-after"]).toBe("1");
  expect(first.headers["content-type"]).toBe("application/json");
  expect(failCode(await duoRequest(emulator, "GET", "/auth/v2/check")).code).toBe(42901);
  okResponse(await duoRequest(emulator, "GET", "/auth/v2/check"));
});

it("sends no Retry-After unless asked", async () => {
  await control(emulator, "POST", "/faults", { rate_limit: 1 });
  const limited = await duoRequest(emulator, "GET", "/auth/v2/check");
  expect(limited.status).toBe(429);
  expect(limited.headers["retry-after"]).toBeUndefined();
});
