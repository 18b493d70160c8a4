/**
 * Enrollment (§4.4, §4.5, §6): /enroll issues an activation code in Duo's format, the QR image encodes
 * it, scanning it (the control API or the virtual phone) claims it once, and /enroll_status reports
 * waiting → success, or invalid once the code has expired.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../lib/emulator/server";
import { control, duoRequest, failCode, okResponse, rawRequest, startTestEmulator } from "./helpers";

interface Enrolled {
  activation_barcode: string;
  activation_code: string;
  activation_url: string;
  expiration: number;
  user_id: string;
  username: string;
  bypass_codes?: string[];
}

let emulator: RunningEmulator;
let now = Date.now();

beforeAll(async () => {
  emulator = await startTestEmulator({ clock: () => now });
});
afterAll(() => emulator.close());

const enroll = async (params: Record<string, string> = {}, version: 2 | 5 = 5) => okResponse<Enrolled>(await duoRequest(emulator, "POST", "/auth/v2/enroll", params, { version, date: new Date(now).toUTCString() }));
const status = async (user_id: string, activation_code: string) =>
  okResponse<string>(await duoRequest(emulator, "POST", "/auth/v2/enroll_status", { user_id, activation_code }, { date: new Date(now).toUTCString() }));

describe("/enroll", () => {
  it("returns an activation in Duo's format", async () => {
    const enrolled = await enroll({ username: "ada" });
    expect(enrolled.username).toBe("ada");
    expect(enrolled.user_id).toMatch(/^DU[A-Z0-9]{18}$/);
    const host = Buffer.from(emulator.apiHost).toString("base64").replace(/=+$/, "");
    expect(enrolled.activation_code).toMatch(new RegExp(`^duo://[A-Za-z0-9]{20}-${host}$`));
    expect(enrolled.activation_barcode).toBe(`${emulator.url}/frame/qr?value=${encodeURIComponent(enrolled.activation_code)}`);
    expect(enrolled.activation_url).toMatch(new RegExp(`^${emulator.url}/phone\\?activation=[A-Za-z0-9]{20}$`));
    expect(enrolled.expiration).toBe(Math.floor(now / 1000) + 86_400);
  });

  it("invents a 32-hex-character username when none is given, and honours valid_secs", async () => {
    const enrolled = await enroll({ valid_secs: "120" }, 2);
    expect(enrolled.username).toMatch(/^[0-9a-f]{32}$/);
    expect(enrolled.expiration).toBe(Math.floor(now / 1000) + 120);
  });

  it("returns bypass codes when asked (duo_client_python's bypass_codes parameter)", async () => {
    const enrolled = await enroll({ username: "with-codes", bypass_codes: "3" });
    expect(enrolled.bypass_codes).toHaveLength(3);
    for (const code of enrolled.bypass_codes ?? []) expect(code).toMatch(/^\d{9}$/);
  });

  it("refuses an existing username and a bad valid_secs with 400/40002", async () => {
    await enroll({ username: "taken" });
    expect(failCode(await duoRequest(emulator, "POST", "/auth/v2/enroll", { username: "taken" }, { date: new Date(now).toUTCString() }))).toMatchObject({ status: 400, code: 40002, detail: "username" });
    expect(failCode(await duoRequest(emulator, "POST", "/auth/v2/enroll", { valid_secs: "soon" }, { date: new Date(now).toUTCString() }))).toMatchObject({ code: 40002, detail: "valid_secs" });
  });

  it("serves the QR code as a PNG", async () => {
    const enrolled = await enroll({ username: "qr" });
    const response = await fetch(enrolled.activation_barcode);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  });
});

describe("/enroll_status", () => {
  it("is waiting, then success once the code is scanned; the code works only once", async () => {
    const enrolled = await enroll({ username: "grace" });
    expect(await status(enrolled.user_id, enrolled.activation_code)).toBe("waiting");

    const scanned = await control(emulator, "POST", "/activations", { activation_code: enrolled.activation_code });
    expect(scanned.status).toBe(201);
    expect(scanned.json).toMatchObject({ user_id: enrolled.user_id, username: "grace", device: expect.stringMatching(/^DP[A-Z0-9]{18}$/) });
    expect(await status(enrolled.user_id, enrolled.activation_code)).toBe("success");

    const again = await control(emulator, "POST", "/activations", { activation_code: enrolled.activation_code });
    expect(again.status).toBe(409);
    const user = await control(emulator, "GET", `/users/${enrolled.user_id}`);
    expect((user.json as { devices: unknown[] }).devices).toHaveLength(1);
  });

  it("gives the scanned phone push, phone, sms and mobile_otp", async () => {
    const enrolled = await enroll({ username: "caps" });
    await control(emulator, "POST", "/activations", { activation_code: enrolled.activation_code });
    const preauth = okResponse<{ devices: Array<{ capabilities: string[]; number: string }> }>(
      await duoRequest(emulator, "POST", "/auth/v2/preauth", { username: "caps" }, { date: new Date(now).toUTCString() }),
    );
    expect(preauth.devices[0]?.capabilities).toEqual(["auto", "push", "sms", "phone", "mobile_otp"]);
    expect(preauth.devices[0]?.number).toMatch(/^XXX-XXX-\d{4}$/);
  });

  it("is invalid once the code has expired, and an expired code cannot be scanned", async () => {
    const enrolled = await enroll({ username: "late", valid_secs: "60" });
    now += 61_000;
    expect(await status(enrolled.user_id, enrolled.activation_code)).toBe("invalid");
    expect((await control(emulator, "POST", "/activations", { activation_code: enrolled.activation_code })).status).toBe(410);
  });

  it("is invalid for another user's code or an unknown code, and accepts the bare 20-character code", async () => {
    const first = await enroll({ username: "first" });
    const second = await enroll({ username: "second" });
    expect(await status(second.user_id, first.activation_code)).toBe("invalid");
    expect(await status(first.user_id, "duo://AAAAAAAAAAAAAAAAAAAA-eA")).toBe("invalid");
    const bare = first.activation_code.slice("duo://".length, "duo://".length + 20);
    expect(await status(first.user_id, bare)).toBe("waiting");
  });

  it("requires both parameters: 400/40001", async () => {
    const response = await duoRequest(emulator, "POST", "/auth/v2/enroll_status", { user_id: "DUXXXXXXXXXXXXXXXXXX" }, { date: new Date(now).toUTCString() });
    expect(failCode(response)).toMatchObject({ status: 400, code: 40001, message: "Missing required request parameters", detail: "activation_code" });
  });

  it("/frame/qr without a value is a 400", async () => {
    const response = await rawRequest(emulator.port, { method: "GET", path: "/frame/qr" });
    expect(failCode(response)).toMatchObject({ status: 400, code: 40001 });
  });
});
