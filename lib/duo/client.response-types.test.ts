/**
 * Duo's real response bodies (Postman examples, the committed example log; shared/duo-auth-api.md §4)
 * parse into the typed values: hardware tokens without capabilities, unknown statuses and capabilities
 * kept as strings, unknown fields dropped, Verified Push grouped, bare-string enroll_status. And each
 * typed request sends exactly Duo's parameter names and values.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ok, startSignatureCheckingServer, type Reply, type TestDuoServer } from "../../test/support/signature-checking-server";
import { DuoClient } from "./client";

const IKEY = "DIXXXXXXXXXXXXXXXXXX";
const SKEY = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";

let server: TestDuoServer;
let duo: DuoClient;
beforeAll(async () => {
  server = await startSignatureCheckingServer({ ikey: IKEY, skey: SKEY, signedHost: "api-267c0646.duosecurity.com" });
  duo = new DuoClient({ ikey: IKEY, skey: SKEY, endpoint: server.endpoint });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function answer(reply: Reply) {
  server.handle(() => reply);
}

function sent(): Record<string, string> {
  const request = server.requests.at(-1);
  if (!request) throw new Error("nothing was sent");
  expect(request.signature.valid).toBe(true);
  return Object.fromEntries(request.params);
}

describe("preauth", () => {
  it("parses Duo's published auth example, a hardware token without capabilities, and an unknown capability", async () => {
    answer(
      ok({
        result: "auth",
        status_msg: "Account is active",
        devices: [
          { capabilities: ["auto", "push", "mobile_otp"], device: "DPUVFU8PQY7KB3W4R2NQ", display_name: "iOS", name: "", number: "", type: "phone" },
          {
            capabilities: ["auto", "push", "sms", "phone", "mobile_otp", "teleport"],
            device: "DP80Z4GVU82OT8O1BNJF",
            display_name: "Marx iPhone 13_new (XXX-XXX-4788)",
            name: "Marx iPhone 13_new",
            number: "XXX-XXX-4788",
            sms_nextcode: "1",
            type: "phone",
            some_future_field: { nested: true },
          },
          { device: "DHQOEFH4Q6KMAFU7Q8V4", name: "20361492", type: "token" },
        ],
      }),
    );
    const result = await duo.preauth({ username: "alice" });
    expect(result).toEqual({
      ok: true,
      value: {
        result: "auth",
        statusMsg: "Account is active",
        verifiedPush: undefined,
        devices: [
          { device: "DPUVFU8PQY7KB3W4R2NQ", type: "phone", name: "", number: "", displayName: "iOS", capabilities: ["auto", "push", "mobile_otp"], smsNextcode: undefined },
          {
            device: "DP80Z4GVU82OT8O1BNJF",
            type: "phone",
            name: "Marx iPhone 13_new",
            number: "XXX-XXX-4788",
            displayName: "Marx iPhone 13_new (XXX-XXX-4788)",
            capabilities: ["auto", "push", "sms", "phone", "mobile_otp", "teleport"],
            smsNextcode: "1",
          },
          { device: "DHQOEFH4Q6KMAFU7Q8V4", type: "token", name: "20361492", number: undefined, displayName: undefined, capabilities: [], smsNextcode: undefined },
        ],
      },
    });
    expect(sent()).toEqual({ username: "alice" });
  });

  it("groups Verified Push fields and sends every preauth option under Duo's names", async () => {
    answer(ok({ result: "auth", status_msg: "Account is active", devices: [], txid: "tx-1", verification_code: "376", expiration: 1_700_000_060 }));
    const result = await duo.preauth(
      { userId: "DUKVGHTEPSSS7I388F7P" },
      { ipaddr: "203.0.113.9", hostname: "laptop", trustedDeviceToken: "tdt", clientSupportsVerifiedPush: true },
    );
    expect(result.ok && result.value.result === "auth" && result.value.verifiedPush).toEqual({ txid: "tx-1", verificationCode: "376", expiration: 1_700_000_060 });
    expect(sent()).toEqual({
      user_id: "DUKVGHTEPSSS7I388F7P",
      ipaddr: "203.0.113.9",
      hostname: "laptop",
      trusted_device_token: "tdt",
      client_supports_verified_push: "1",
    });
  });

  it("parses allow, deny and enroll", async () => {
    answer(ok({ result: "allow", status_msg: "Allowing unknown user" }));
    expect(await duo.preauth({ username: "a" })).toEqual({ ok: true, value: { result: "allow", statusMsg: "Allowing unknown user" } });
    answer(ok({ result: "deny", status_msg: "Locked out" }));
    expect(await duo.preauth({ username: "a" })).toEqual({ ok: true, value: { result: "deny", statusMsg: "Locked out" } });
    answer(ok({ result: "enroll", status_msg: "Enroll an authentication device to proceed", enroll_portal_url: "https://api-267c0646.duosecurity.com/portal?code=48bac5d9393fb2c2" }));
    expect(await duo.preauth({ username: "a" })).toEqual({
      ok: true,
      value: { result: "enroll", statusMsg: "Enroll an authentication device to proceed", enrollPortalUrl: "https://api-267c0646.duosecurity.com/portal?code=48bac5d9393fb2c2" },
    });
  });
});

describe("auth and auth_status", () => {
  it("parses the observed synchronous outcomes, keeping the trusted device token on allow", async () => {
    answer(ok({ result: "allow", status: "allow", status_msg: "Success. Logging you in...", trusted_device_token: "TDT" }));
    expect(await duo.auth({ username: "alice", factor: "push" })).toEqual({
      ok: true,
      value: { result: "allow", status: "allow", statusMsg: "Success. Logging you in...", trustedDeviceToken: "TDT" },
    });
    answer(ok({ result: "deny", status: "timeout", status_msg: "Login timed out." }));
    expect(await duo.auth({ username: "alice", factor: "push" })).toEqual({ ok: true, value: { result: "deny", status: "timeout", statusMsg: "Login timed out." } });
  });

  it("keeps an unknown status as a string", async () => {
    answer(ok({ auth_delayed: false, result: "waiting", status: "hologram_sent", status_msg: "Beaming..." }));
    expect(await duo.authStatus("f50324f8-42ce-419d-8403-ed6b78e72d44")).toEqual({
      ok: true,
      value: { result: "waiting", status: "hologram_sent", statusMsg: "Beaming..." },
    });
    expect(sent()).toEqual({ txid: "f50324f8-42ce-419d-8403-ed6b78e72d44" });
  });

  it("async auth returns the txid; every factor sends Duo's parameters", async () => {
    answer(ok({ txid: "13eb97f2-9008-42f4-b59b-afc7a5edf6a6" }));
    expect(await duo.auth({ username: "alice", factor: "passcode", passcode: "123456", async: true })).toEqual({
      ok: true,
      value: { txid: "13eb97f2-9008-42f4-b59b-afc7a5edf6a6" },
    });
    expect(sent()).toEqual({ username: "alice", factor: "passcode", passcode: "123456", async: "1" });

    await duo.auth({ userId: "DU1", factor: "phone", device: "DP80Z4GVU82OT8O1BNJF", async: true, hostname: "h" });
    expect(sent()).toEqual({ user_id: "DU1", factor: "phone", device: "DP80Z4GVU82OT8O1BNJF", async: "1", hostname: "h" });

    await duo.auth({ username: "alice", factor: "sms", async: true });
    expect(sent()).toEqual({ username: "alice", factor: "sms", device: "auto", async: "1" });

    await duo.auth({ username: "alice", factor: "auto", async: true });
    expect(sent()).toEqual({ username: "alice", factor: "auto", device: "auto", async: "1" });

    await duo.auth({ username: "alice", factor: "push", txid: "vp-tx", async: true });
    expect(sent()).toEqual({ username: "alice", factor: "push", device: "auto", txid: "vp-tx", async: "1" });
  });
});

describe("enroll, enroll_status, check, logo", () => {
  it("parses Duo's enroll example", async () => {
    answer(
      ok({
        activation_barcode: "https://api-267c0646.duosecurity.com/frame/qr?value=duo%3A%2F%2F4FCELXdby5IvBEjBp6BT-YXBpLTI2N2MwNjQ2LmR1b3NlY3VyaXR5LmNvbQ",
        activation_code: "duo://4FCELXdby5IvBEjBp6BT-YXBpLTI2N2MwNjQ2LmR1b3NlY3VyaXR5LmNvbQ",
        activation_url: "https://m-267c0646.duosecurity.com/activate/4FCELXdby5IvBEjBp6BT",
        expiration: 1697905640,
        user_id: "DUKVGHTEPSSS7I388F7P",
        username: "d8a83e0ab50dc249ce87e24100b7cc80",
      }),
    );
    const result = await duo.enroll({ username: "bob", validSecs: 600 });
    expect(result.ok && result.value).toMatchObject({ userId: "DUKVGHTEPSSS7I388F7P", expiration: 1697905640, activationUrl: "https://m-267c0646.duosecurity.com/activate/4FCELXdby5IvBEjBp6BT" });
    expect(sent()).toEqual({ username: "bob", valid_secs: "600" });
  });

  it("reads enroll_status's bare string, an unknown one included", async () => {
    answer(ok("waiting"));
    expect(await duo.enrollStatus({ userId: "DU1", activationCode: "duo://x" })).toEqual({ ok: true, value: "waiting" });
    expect(sent()).toEqual({ user_id: "DU1", activation_code: "duo://x" });
    answer(ok("paused"));
    expect(await duo.enrollStatus({ userId: "DU1", activationCode: "duo://x" })).toEqual({ ok: true, value: "paused" });
  });

  it("check and ping answer Duo's time", async () => {
    answer(ok({ time: 1357020061 }));
    expect(await duo.check()).toEqual({ ok: true, value: { time: 1357020061 } });
    expect(await duo.ping()).toEqual({ ok: true, value: { time: 1357020061 } });
  });

  it("logo answers the image bytes, or Duo's FAIL as an error", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    answer({ kind: "raw", contentType: "image/png", body: png });
    const result = await duo.logo();
    expect(result.ok && result.value.mediaType).toBe("image/png");
    expect(result.ok && Buffer.from(result.value.bytes).equals(png)).toBe(true);

    answer({ kind: "json", status: 404, body: { stat: "FAIL", code: 40401, message: "Resource not found" } });
    const missing = await duo.logo();
    expect(missing.ok ? null : missing.error).toMatchObject({ kind: "api", code: 40401 });

    answer(ok({ time: 1 }));
    const notAnImage = await duo.logo();
    expect(notAnImage.ok ? null : notAnImage.error).toMatchObject({ kind: "protocol", problem: "unexpected-content-type" });
  });
});
