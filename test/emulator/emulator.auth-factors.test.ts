/**
 * /auth for every factor, sync and async (§4.7, §8.4): push, phone, passcode (Duo Mobile HOTP, hardware
 * token, SMS batch, bypass code), sms and auto; answers from the "phone" through the control API.
 */
import { generateSync } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../lib/emulator/server";
import { control, duoRequest, failCode, okResponse, startTestEmulator, userWithPhone, waitForPending } from "./helpers";

interface Outcome {
  result: string;
  status: string;
  status_msg: string;
  trusted_device_token?: string;
}

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ policy: { pushTimeoutSeconds: 0.3, callTimeoutSeconds: 0.3, longPollSeconds: 5 } });
});
afterAll(() => emulator.close());

const auth = (params: Record<string, string>, version: 2 | 5 = 5) => duoRequest(emulator, "POST", "/auth/v2/auth", params, { version });
const answer = (txid: string, body: Record<string, string>) => control(emulator, "POST", `/transactions/${txid}`, body);

async function untilFinal(txid: string): Promise<Outcome & { auth_delayed: boolean }> {
  for (;;) {
    const status = okResponse<Outcome & { auth_delayed: boolean }>(await duoRequest(emulator, "GET", "/auth/v2/auth_status", { txid }));
    if (status.result !== "waiting") return status;
  }
}

describe("push", () => {
  it.each([
    ["approve", { result: "allow", status: "allow", status_msg: "Success. Logging you in..." }],
    ["deny", { result: "deny", status: "deny", status_msg: "Login request denied." }],
    ["fraud", { result: "deny", status: "fraud" }],
  ] as const)("sync, %s", async (given, expected) => {
    await userWithPhone(emulator, `push-sync-${given}`);
    const pending = auth({ username: `push-sync-${given}`, factor: "push", device: "auto" }, 2);
    const txid = await waitForPending(emulator, `push-sync-${given}`);
    expect((await answer(txid, { answer: given })).status).toBe(200);
    expect(okResponse(await pending)).toMatchObject(expected);
  });

  it("async: txid at once, pushed, then the answer; pushinfo and context reach the phone", async () => {
    await userWithPhone(emulator, "push-async");
    const started = okResponse<{ txid: string }>(
      await auth({ username: "push-async", factor: "push", device: "auto", async: "1", pushinfo: "from=login portal&domain=example.com", ipaddr: "198.51.100.7", hostname: "laptop", type: "Sign-in" }),
    );
    expect(started.txid).toMatch(/^[0-9a-f-]{36}$/);
    const first = okResponse<Outcome>(await duoRequest(emulator, "GET", "/auth/v2/auth_status", { txid: started.txid }));
    expect(first).toEqual({ auth_delayed: false, result: "waiting", status: "pushed", status_msg: "Pushed a login request to your device..." });

    const list = await control(emulator, "GET", "/users/push-async/transactions");
    expect((list.json as unknown[])[0]).toMatchObject({
      txid: started.txid,
      factor: "push",
      state: "pushed",
      pushinfo: { from: "login portal", domain: "example.com" },
      ipaddr: "198.51.100.7",
      hostname: "laptop",
      type: "Sign-in",
    });
    await answer(started.txid, { answer: "approve" });
    expect(await untilFinal(started.txid)).toMatchObject({ result: "allow", status: "allow" });
  });

  it("times out: deny / timeout, sync and async; ignoring leaves it to time out", async () => {
    await userWithPhone(emulator, "push-timeout");
    const started = okResponse<{ txid: string }>(await auth({ username: "push-timeout", factor: "push", device: "auto", async: "1" }));
    expect((await answer(started.txid, { answer: "ignore" })).status).toBe(200);
    expect(await untilFinal(started.txid)).toMatchObject({ result: "deny", status: "timeout", status_msg: "Login timed out." });
    expect(okResponse(await auth({ username: "push-timeout", factor: "push", device: "auto" }))).toMatchObject({ result: "deny", status: "timeout" });
    expect((await answer(started.txid, { answer: "approve" })).status).toBe(409);
  });

  it('times out at once when the control API answers "timeout"', async () => {
    await userWithPhone(emulator, "push-timeout-now");
    const { txid } = okResponse<{ txid: string }>(await auth({ username: "push-timeout-now", factor: "push", device: "auto", async: "1" }));
    expect((await answer(txid, { answer: "timeout" })).status).toBe(200);
    expect(await untilFinal(txid)).toMatchObject({ result: "deny", status: "timeout", status_msg: "Login timed out." });
  });

  it("refuses a device without push (40002 no capable device) and a missing device (40001)", async () => {
    await control(emulator, "POST", "/users", { username: "sms-only", devices: [{ type: "phone", capabilities: ["sms"] }] });
    expect(failCode(await auth({ username: "sms-only", factor: "push", device: "auto" }))).toMatchObject({ status: 400, code: 40002, message: "Invalid request parameters", detail: "no capable device" });
    expect(failCode(await auth({ username: "sms-only", factor: "auto" }))).toMatchObject({ status: 400, code: 40001, detail: "device" });
    expect(failCode(await auth({ username: "sms-only", factor: "push", device: "DPNOSUCHDEVICEXXXXXX" }))).toMatchObject({ code: 40002, detail: "device" });
    expect(failCode(await auth({ username: "nobody-here", factor: "push", device: "auto" }))).toMatchObject({ code: 40002, detail: "username" });
    expect(failCode(await auth({ username: "sms-only", factor: "carrier-pigeon", device: "auto" }))).toMatchObject({ code: 40002, detail: "factor" });
  });
});

describe("phone", () => {
  it("calling → answered → allow, async", async () => {
    await userWithPhone(emulator, "caller");
    const { txid } = okResponse<{ txid: string }>(await auth({ username: "caller", factor: "phone", device: "auto", async: "1" }));
    const calling = okResponse<Outcome>(await duoRequest(emulator, "GET", "/auth/v2/auth_status", { txid }));
    expect(calling).toMatchObject({ result: "waiting", status: "calling", status_msg: expect.stringMatching(/^Dialing XXX-XXX-\d{4}\.\.\.$/) });
    await answer(txid, { answer: "pickup" });
    expect(okResponse<Outcome>(await duoRequest(emulator, "GET", "/auth/v2/auth_status", { txid }))).toMatchObject({ result: "waiting", status: "answered" });
    await answer(txid, { answer: "approve" });
    expect(await untilFinal(txid)).toMatchObject({ result: "allow", status: "allow" });
    const history = await control(emulator, "GET", `/transactions/${txid}`);
    expect((history.json as { history: string[] }).history).toEqual(["calling", "answered", "allow"]);
  });

  it("sync hang-up is deny; an unanswered call times out", async () => {
    await userWithPhone(emulator, "caller2");
    const pending = auth({ username: "caller2", factor: "phone", device: "auto" });
    await answer(await waitForPending(emulator, "caller2"), { answer: "deny" });
    expect(okResponse(await pending)).toMatchObject({ result: "deny", status: "deny" });
    expect(okResponse(await auth({ username: "caller2", factor: "phone", device: "auto" }))).toMatchObject({ result: "deny", status: "timeout" });
  });

  it("factor auto picks push on a smartphone, and a call on a phone without push", async () => {
    await userWithPhone(emulator, "auto-push");
    const push = okResponse<{ txid: string }>(await auth({ username: "auto-push", factor: "auto", device: "auto", async: "1" }));
    expect((await control(emulator, "GET", `/transactions/${push.txid}`)).json).toMatchObject({ factor: "push" });
    await control(emulator, "POST", "/users", { username: "landline", devices: [{ type: "phone", capabilities: ["phone"] }] });
    const call = okResponse<{ txid: string }>(await auth({ username: "landline", factor: "auto", device: "auto", async: "1" }));
    expect((await control(emulator, "GET", `/transactions/${call.txid}`)).json).toMatchObject({ factor: "phone", state: "calling" });
  });
});

describe("passcode", () => {
  it("accepts what Duo Mobile shows, once; then shows the next one", async () => {
    const { device } = await userWithPhone(emulator, "otp");
    const shown = ((await control(emulator, "GET", `/devices/${device}/passcode`)).json as { passcode: string }).passcode;
    expect(shown).toMatch(/^\d{6}$/);
    expect(okResponse(await auth({ username: "otp", factor: "passcode", passcode: shown }))).toMatchObject({ result: "allow", status: "allow" });
    expect(okResponse(await auth({ username: "otp", factor: "passcode", passcode: shown }))).toMatchObject({ result: "deny", status: "deny", status_msg: "Incorrect passcode. Please try again." });
    const next = ((await control(emulator, "GET", `/devices/${device}/passcode`)).json as { passcode: string }).passcode;
    expect(next).not.toBe(shown);
  });

  it("accepts a code a few ahead (look-ahead), which spends the earlier ones", async () => {
    const { device } = await userWithPhone(emulator, "ahead");
    const first = ((await control(emulator, "GET", `/devices/${device}/passcode`)).json as { passcode: string }).passcode;
    await control(emulator, "POST", `/devices/${device}/passcode/next`);
    const third = ((await control(emulator, "POST", `/devices/${device}/passcode/next`)).json as { passcode: string }).passcode;
    expect(okResponse(await auth({ username: "ahead", factor: "passcode", passcode: third }))).toMatchObject({ result: "allow" });
    expect(okResponse(await auth({ username: "ahead", factor: "passcode", passcode: first }))).toMatchObject({ result: "deny" });
  });

  it("accepts a hardware token's HOTP code", async () => {
    const created = await control(emulator, "POST", "/users", { username: "fob", devices: [{ type: "token" }] });
    const token = (created.json as { devices: Array<{ device: string }> }).devices[0]?.device ?? "";
    const code = ((await control(emulator, "GET", `/devices/${token}/passcode`)).json as { passcode: string }).passcode;
    expect(okResponse(await auth({ username: "fob", factor: "passcode", passcode: code }))).toMatchObject({ result: "allow" });
  });

  it("async passcode: a txid whose status is final at once", async () => {
    await userWithPhone(emulator, "otp-async");
    const { txid } = okResponse<{ txid: string }>(await auth({ username: "otp-async", factor: "passcode", passcode: "000000", async: "1" }));
    expect(okResponse(await duoRequest(emulator, "GET", "/auth/v2/auth_status", { txid }))).toMatchObject({ result: "deny", status: "deny" });
  });

  it("requires the passcode parameter (40001)", async () => {
    expect(failCode(await auth({ username: "otp", factor: "passcode" }))).toMatchObject({ code: 40001, detail: "passcode" });
  });

  it("the HOTP secret really is RFC 4226 (otplib, counter 0 as the first code)", async () => {
    // Independent check through the state: the first code shown equals HOTP(secret, 0).
    const { device } = await userWithPhone(emulator, "rfc");
    const owner = emulator.context.store.deviceOwner(device);
    const expected = generateSync({ secret: owner?.device.hotp.secret ?? "", strategy: "hotp", counter: 0, digits: 6 });
    expect(((await control(emulator, "GET", `/devices/${device}/passcode`)).json as { passcode: string }).passcode).toBe(expected);
  });
});

describe("sms", () => {
  it("sends a batch (deny / sent); codes are used in order; a new batch invalidates the old", async () => {
    const { device } = await userWithPhone(emulator, "sms");
    expect(okResponse(await auth({ username: "sms", factor: "sms", device }))).toEqual({ result: "deny", status: "sent", status_msg: "New SMS passcodes sent." });
    const first = (await control(emulator, "GET", "/users/sms/sms")).json as { passcodes: string[]; device: string };
    expect(first.device).toBe(device);
    expect(first.passcodes).toHaveLength(10);
    first.passcodes.forEach((code, i) => expect(code).toMatch(new RegExp(`^${(i + 1) % 10}\\d{6}$`)));

    expect(okResponse(await auth({ username: "sms", factor: "passcode", passcode: first.passcodes[1] ?? "" }))).toMatchObject({ result: "allow" });
    // Using the second code spent the first.
    expect(okResponse(await auth({ username: "sms", factor: "passcode", passcode: first.passcodes[0] ?? "" }))).toMatchObject({ result: "deny" });
    expect(okResponse(await auth({ username: "sms", factor: "passcode", passcode: first.passcodes[1] ?? "" }))).toMatchObject({ result: "deny" });

    const { txid } = okResponse<{ txid: string }>(await auth({ username: "sms", factor: "sms", device: "auto", async: "1" }));
    expect(okResponse(await duoRequest(emulator, "GET", "/auth/v2/auth_status", { txid }))).toMatchObject({ result: "deny", status: "sent" });
    const second = (await control(emulator, "GET", "/users/sms/sms")).json as { passcodes: string[] };
    expect(second.passcodes).not.toEqual(first.passcodes);
    expect(okResponse(await auth({ username: "sms", factor: "passcode", passcode: first.passcodes[2] ?? "" }))).toMatchObject({ result: "deny" });
    expect(okResponse(await auth({ username: "sms", factor: "passcode", passcode: second.passcodes[0] ?? "" }))).toMatchObject({ result: "allow" });
  });
});

describe("bypass codes", () => {
  it("are single use by default and expire", async () => {
    await userWithPhone(emulator, "bypass");
    const issued = await control(emulator, "POST", "/users/bypass/bypass_codes", { count: 2 });
    expect(issued.status).toBe(201);
    const { codes } = issued.json as { codes: string[] };
    expect(okResponse(await auth({ username: "bypass", factor: "passcode", passcode: codes[0] ?? "" }))).toMatchObject({ result: "allow" });
    expect(okResponse(await auth({ username: "bypass", factor: "passcode", passcode: codes[0] ?? "" }))).toMatchObject({ result: "deny" });

    const shortLived = ((await control(emulator, "POST", "/users/bypass/bypass_codes", { count: 1, valid_secs: 1 })).json as { codes: string[] }).codes;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(okResponse(await auth({ username: "bypass", factor: "passcode", passcode: shortLived[0] ?? "" }))).toMatchObject({ result: "deny" });
  });
});

describe("lockout", () => {
  it("locks the user out after 10 wrong passcodes; preauth then denies and even a right code is refused", async () => {
    const { device } = await userWithPhone(emulator, "guesser");
    for (let i = 1; i < 10; i++) {
      expect(okResponse(await auth({ username: "guesser", factor: "passcode", passcode: "000000" }))).toMatchObject({ result: "deny", status: "deny" });
    }
    expect(okResponse(await auth({ username: "guesser", factor: "passcode", passcode: "000000" }))).toMatchObject({ result: "deny", status: "locked_out" });
    expect((await control(emulator, "GET", "/users/guesser")).json).toMatchObject({ status: "locked_out" });
    expect(okResponse(await duoRequest(emulator, "POST", "/auth/v2/preauth", { username: "guesser" }))).toMatchObject({ result: "deny" });
    const right = ((await control(emulator, "GET", `/devices/${device}/passcode`)).json as { passcode: string }).passcode;
    expect(okResponse(await auth({ username: "guesser", factor: "passcode", passcode: right }))).toMatchObject({ result: "deny", status: "locked_out" });
    await control(emulator, "PUT", "/users/guesser/status", { status: "active" });
    expect(okResponse(await auth({ username: "guesser", factor: "passcode", passcode: right }))).toMatchObject({ result: "allow" });
  });

  it("a success resets the count", async () => {
    const { device } = await userWithPhone(emulator, "sometimes");
    for (let i = 0; i < 9; i++) await auth({ username: "sometimes", factor: "passcode", passcode: "000000" });
    const right = ((await control(emulator, "GET", `/devices/${device}/passcode`)).json as { passcode: string }).passcode;
    expect(okResponse(await auth({ username: "sometimes", factor: "passcode", passcode: right }))).toMatchObject({ result: "allow" });
    expect(okResponse(await auth({ username: "sometimes", factor: "passcode", passcode: "000000" }))).toMatchObject({ status: "deny" });
  });
});

describe("user status on /auth", () => {
  it("bypass allows with status bypass; disabled denies", async () => {
    await userWithPhone(emulator, "bypassed", { status: "bypass" });
    expect(okResponse(await auth({ username: "bypassed", factor: "push", device: "auto" }))).toMatchObject({ result: "allow", status: "bypass" });
    await userWithPhone(emulator, "disabled", { status: "disabled" });
    expect(okResponse(await auth({ username: "disabled", factor: "push", device: "auto" }))).toMatchObject({ result: "deny" });
  });
});
