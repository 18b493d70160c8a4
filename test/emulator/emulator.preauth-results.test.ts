/**
 * /preauth answers auth, allow, deny or enroll as §4.6 and §8.4 describe: by user status, new-user
 * policy, remembered device, and with devices in Duo's shape (tokens without capabilities).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../lib/emulator/server";
import { control, duoRequest, failCode, okResponse, startTestEmulator, userWithPhone } from "./helpers";

interface Preauth {
  result: string;
  status_msg: string;
  devices?: Array<Record<string, unknown>>;
  enroll_portal_url?: string;
}

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

const preauth = async (params: Record<string, string>, version: 2 | 5 = 5) => okResponse<Preauth>(await duoRequest(emulator, "POST", "/auth/v2/preauth", params, { version }));

describe("/preauth", () => {
  it("auth with the user's devices, phones and hardware tokens in Duo's shape", async () => {
    const created = await control(emulator, "POST", "/users", {
      username: "marx",
      devices: [{ type: "phone", name: "Marx iPhone", number: "+15555550147" }, { type: "token" }],
    });
    expect(created.status).toBe(201);
    const answer = await preauth({ username: "marx", ipaddr: "192.0.2.1" });
    expect(answer.result).toBe("auth");
    expect(answer.status_msg).toBe("Account is active");
    const [phone, token] = answer.devices ?? [];
    expect(phone).toEqual({
      capabilities: ["auto", "push", "sms", "phone", "mobile_otp"],
      device: expect.stringMatching(/^DP/),
      display_name: "Marx iPhone (XXX-XXX-0147)",
      name: "Marx iPhone",
      number: "XXX-XXX-0147",
      type: "phone",
    });
    expect(token).toEqual({ device: expect.stringMatching(/^DH/), name: expect.any(String), type: "token" });
  });

  it("finds users by user_id, by alias, and case-insensitively", async () => {
    const created = await control(emulator, "POST", "/users", { username: "Aliased", aliases: ["aka"], devices: [{ type: "phone" }] });
    const userId = (created.json as { user_id: string }).user_id;
    expect((await preauth({ user_id: userId })).result).toBe("auth");
    expect((await preauth({ username: "AKA" })).result).toBe("auth");
    expect((await preauth({ username: "aliased" })).result).toBe("auth");
  });

  it("enroll for an unknown username under the default policy, with a one-time portal link", async () => {
    const answer = await preauth({ username: "newcomer" });
    expect(answer).toMatchObject({ result: "enroll", status_msg: "Enroll an authentication device to proceed" });
    expect(answer.enroll_portal_url).toMatch(new RegExp(`^${emulator.url}/portal\\?code=[0-9a-f]{16}&akey=${emulator.ikey}$`));
    expect(answer.devices).toBeUndefined();
    const page = await fetch(answer.enroll_portal_url ?? "");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("newcomer");
  });

  it("enroll for a known user without devices", async () => {
    await control(emulator, "POST", "/users", { username: "no-devices" });
    expect((await preauth({ username: "no-devices" })).result).toBe("enroll");
  });

  it("allow or deny for an unknown username when the new-user policy says so", async () => {
    await control(emulator, "PUT", "/policy", { newUserPolicy: "allow" });
    expect((await preauth({ username: "stranger" })).result).toBe("allow");
    await control(emulator, "PUT", "/policy", { newUserPolicy: "deny" });
    expect((await preauth({ username: "stranger" })).result).toBe("deny");
    await control(emulator, "PUT", "/policy", { newUserPolicy: "enroll" });
  });

  it.each([
    ["bypass", "allow"],
    ["disabled", "deny"],
    ["locked_out", "deny"],
    ["active", "auth"],
  ])("status %s gives %s", async (status, result) => {
    await userWithPhone(emulator, `status-${status}`);
    expect((await control(emulator, "PUT", `/users/status-${status}/status`, { status })).status).toBe(200);
    expect((await preauth({ username: `status-${status}` })).result).toBe(result);
  });

  it("shows sms_nextcode, the first digit of the next SMS passcode, while a batch is outstanding", async () => {
    const { device } = await userWithPhone(emulator, "texter");
    okResponse(await duoRequest(emulator, "POST", "/auth/v2/auth", { username: "texter", factor: "sms", device }));
    const answer = await preauth({ username: "texter" });
    expect(answer.devices?.[0]?.sms_nextcode).toBe("1");
  });

  it("refuses an unknown user_id (40002), neither identifier (40001), and both (40002)", async () => {
    expect(failCode(await duoRequest(emulator, "POST", "/auth/v2/preauth", { user_id: "DUNOTAREALUSERIDXXXX" }))).toMatchObject({ status: 400, code: 40002, detail: "user_id" });
    expect(failCode(await duoRequest(emulator, "POST", "/auth/v2/preauth", { ipaddr: "192.0.2.1" }))).toMatchObject({ status: 400, code: 40001 });
    expect(failCode(await duoRequest(emulator, "POST", "/auth/v2/preauth", { username: "marx", user_id: "DUX" }))).toMatchObject({ code: 40002 });
    expect(failCode(await duoRequest(emulator, "POST", "/auth/v2/preauth", { username: "marx", ipaddr: "not-an-ip" }))).toMatchObject({ code: 40002, detail: "ipaddr" });
  });
});
