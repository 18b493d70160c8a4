/**
 * The control API's contract: JSON answers, 404 for unknown ids, 400 for bad bodies, and no requests a
 * browser on another site could send (it can approve logins).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../lib/emulator/server";
import { control, rawRequest, startTestEmulator, userWithPhone } from "./helpers";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
  await userWithPhone(emulator, "known");
});
afterAll(() => emulator.close());

describe("unknown ids give 404 JSON", () => {
  it.each([
    ["GET", "/users/nobody/transactions", undefined],
    ["GET", "/users/nobody/sms", undefined],
    ["GET", "/users/nobody", undefined],
    ["PUT", "/users/nobody/status", { status: "active" }],
    ["POST", "/users/nobody/bypass_codes", {}],
    ["POST", "/users/nobody/devices", { type: "token" }],
    ["POST", "/transactions/00000000-0000-4000-8000-000000000000", { answer: "approve" }],
    ["GET", "/transactions/00000000-0000-4000-8000-000000000000", undefined],
    ["GET", "/devices/DPNOSUCHDEVICEXXXXXX/passcode", undefined],
    ["POST", "/activations", { activation_code: "duo://AAAAAAAAAAAAAAAAAAAA-eA" }],
    ["GET", "/no/such/route", undefined],
  ])("%s %s", async (method, path, body) => {
    const response = await control(emulator, method, path, body);
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({ error: expect.any(String) });
  });
});

describe("bad bodies give 400 JSON", () => {
  it.each([
    ["POST", "/activations", {}],
    ["POST", "/activations", { activation_code: 12 }],
    ["PUT", "/users/known/status", { status: "asleep" }],
    ["POST", "/transactions/00000000-0000-4000-8000-000000000000", { answer: "maybe" }],
    ["POST", "/faults", { rate_limit: -1 }],
    ["POST", "/faults", { rate_limit: 1, extra: true }],
    ["POST", "/users", { username: "" }],
    ["POST", "/users", { username: "x", devices: [{ type: "pager" }] }],
    ["PUT", "/policy", { newUserPolicy: "sometimes" }],
  ])("%s %s %j", async (method, path, body) => {
    const response = await control(emulator, method, path, body);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: expect.any(String) });
  });

  it("a body that is not JSON, or not sent as JSON", async () => {
    const notJson = await rawRequest(emulator.port, { method: "POST", path: "/emulator/v1/faults", headers: { "Content-Type": "application/json" }, body: "{rate_limit" });
    expect(notJson.status).toBe(400);
    const form = await rawRequest(emulator.port, { method: "POST", path: "/emulator/v1/faults", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "rate_limit=1" });
    expect(form.status).toBe(400);
    expect(form.headers["content-type"]).toBe("application/json");
  });
});

describe("other answers", () => {
  it("405 for a known path with the wrong method", async () => {
    const response = await control(emulator, "DELETE", "/users/known");
    expect(response.status).toBe(405);
  });

  it("an empty array for a user without transactions", async () => {
    const list = await control(emulator, "GET", "/users/known/transactions");
    expect(list).toEqual({ status: 200, json: [] });
  });

  it("refuses cross-site requests and foreign host names with 403", async () => {
    const crossSite = await rawRequest(emulator.port, {
      method: "POST",
      path: "/emulator/v1/reset",
      headers: { Origin: "https://evil.example", "Content-Type": "application/json" },
      body: "{}",
    });
    expect(crossSite.status).toBe(403);
    const rebinding = await rawRequest(emulator.port, { method: "GET", path: "/emulator/v1/users/known", headers: { Host: `evil.example:${emulator.port}` } });
    expect(rebinding.status).toBe(403);
    expect((await control(emulator, "GET", "/users/known")).status).toBe(200);
  });

  it("reset empties the state", async () => {
    expect(await control(emulator, "POST", "/reset")).toEqual({ status: 200, json: { reset: true } });
    expect((await control(emulator, "GET", "/users/known")).status).toBe(404);
  });
});
