/**
 * Policies an administrator turns on: Remembered Devices (trusted_device_token, §4.6/§4.7) and Verified
 * Duo Push (txid + verification_code from /preauth; the phone must type the code, §4.6).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../lib/emulator/server";
import { control, duoRequest, failCode, okResponse, startTestEmulator, userWithPhone, waitForPending } from "./helpers";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ policy: { rememberedDevices: true, rememberedDeviceSeconds: 2, verifiedPush: true, verifiedPushDigits: 4 } });
});
afterAll(() => emulator.close());

const preauth = (params: Record<string, string>) => duoRequest(emulator, "POST", "/auth/v2/preauth", params);
const auth = (params: Record<string, string>) => duoRequest(emulator, "POST", "/auth/v2/auth", params);

describe("Remembered Devices", () => {
  it("an allow carries a trusted_device_token that later makes /preauth allow, for that user only, until it expires", async () => {
    const { device } = await userWithPhone(emulator, "remembered");
    await userWithPhone(emulator, "someone-else");
    const code = ((await control(emulator, "GET", `/devices/${device}/passcode`)).json as { passcode: string }).passcode;
    const allowed = okResponse<{ result: string; trusted_device_token?: string }>(await auth({ username: "remembered", factor: "passcode", passcode: code }));
    expect(allowed.result).toBe("allow");
    const token = allowed.trusted_device_token ?? "";
    expect(token.length).toBeGreaterThan(20);

    expect(okResponse(await preauth({ username: "remembered", trusted_device_token: token }))).toMatchObject({ result: "allow" });
    expect(okResponse(await preauth({ username: "someone-else", trusted_device_token: token }))).toMatchObject({ result: "auth" });
    expect(okResponse(await preauth({ username: "remembered", trusted_device_token: "forged-token" }))).toMatchObject({ result: "auth" });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(okResponse(await preauth({ username: "remembered", trusted_device_token: token }))).toMatchObject({ result: "auth" });
  });

  it("auth_status carries the token on allow", async () => {
    await userWithPhone(emulator, "remembered-async");
    const { txid } = okResponse<{ txid: string }>(await auth({ username: "remembered-async", factor: "push", device: "auto", async: "1" }));
    await control(emulator, "POST", `/transactions/${txid}`, { answer: "approve" });
    let status: { result: string; trusted_device_token?: string };
    do status = okResponse(await duoRequest(emulator, "GET", "/auth/v2/auth_status", { txid }));
    while (status.result === "waiting");
    expect(status.trusted_device_token).toEqual(expect.any(String));
  });

  it("no token while the policy is off", async () => {
    await control(emulator, "PUT", "/policy", { rememberedDevices: false });
    try {
      const { device } = await userWithPhone(emulator, "forgotten");
      const code = ((await control(emulator, "GET", `/devices/${device}/passcode`)).json as { passcode: string }).passcode;
      const allowed = okResponse<Record<string, unknown>>(await auth({ username: "forgotten", factor: "passcode", passcode: code }));
      expect(allowed).toEqual({ result: "allow", status: "allow", status_msg: "Success. Logging you in..." });
    } finally {
      await control(emulator, "PUT", "/policy", { rememberedDevices: true });
    }
  });
});

describe("Verified Duo Push", () => {
  it("preauth gives txid, verification_code and expiration only to clients that support it", async () => {
    await userWithPhone(emulator, "verified");
    const plain = okResponse<Record<string, unknown>>(await preauth({ username: "verified" }));
    expect(plain.txid).toBeUndefined();
    const verified = okResponse<{ txid: string; verification_code: string; expiration: number }>(await preauth({ username: "verified", client_supports_verified_push: "1" }));
    expect(verified.txid).toMatch(/^[0-9a-f-]{36}$/);
    expect(verified.verification_code).toMatch(/^\d{4}$/);
    expect(verified.expiration - Math.floor(Date.now() / 1000)).toBeGreaterThanOrEqual(59);
  });

  it("the phone must enter the code: none is refused, the right one approves, a wrong one denies", async () => {
    await userWithPhone(emulator, "verifier");
    const first = okResponse<{ txid: string; verification_code: string }>(await preauth({ username: "verifier", client_supports_verified_push: "1" }));
    const pending = auth({ username: "verifier", factor: "push", device: "auto", txid: first.txid });
    const txid = await waitForPending(emulator, "verifier");
    expect(txid).toBe(first.txid);
    const status = okResponse<{ status: string; status_msg: string }>(await duoRequest(emulator, "GET", "/auth/v2/auth_status", { txid }));
    expect(status.status).toBe("pushed");
    expect((await control(emulator, "POST", `/transactions/${txid}`, { answer: "approve" })).status).toBe(400);
    expect((await control(emulator, "POST", `/transactions/${txid}`, { answer: "approve", verification_code: first.verification_code })).status).toBe(200);
    expect(okResponse(await pending)).toMatchObject({ result: "allow" });

    const second = okResponse<{ txid: string; verification_code: string }>(await preauth({ username: "verifier", client_supports_verified_push: "1" }));
    const { txid: secondTxid } = okResponse<{ txid: string }>(await auth({ username: "verifier", factor: "push", device: "auto", txid: second.txid, async: "1" }));
    const wrong = second.verification_code === "0000" ? "1111" : "0000";
    await control(emulator, "POST", `/transactions/${secondTxid}`, { answer: "approve", verification_code: wrong });
    expect((await control(emulator, "GET", `/transactions/${secondTxid}`)).json).toMatchObject({ result: "deny", state: "deny" });
  });

  it("a preauth txid works once, and only for its user", async () => {
    await userWithPhone(emulator, "owner");
    await userWithPhone(emulator, "thief");
    const issued = okResponse<{ txid: string }>(await preauth({ username: "owner", client_supports_verified_push: "1" }));
    expect(failCode(await auth({ username: "thief", factor: "push", device: "auto", txid: issued.txid, async: "1" }))).toMatchObject({ code: 40002, detail: "txid" });
    okResponse(await auth({ username: "owner", factor: "push", device: "auto", txid: issued.txid, async: "1" }));
    expect(failCode(await auth({ username: "owner", factor: "push", device: "auto", txid: issued.txid, async: "1" }))).toMatchObject({ code: 40002, detail: "txid" });
  });
});
