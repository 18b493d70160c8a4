/**
 * The project's Duo client against the project's emulator over HTTP: every endpoint and status path, with
 * signature v5 and v2 (SHA-512 and SHA-1), and the date in `Date` or `X-Duo-Date`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../emulator/server";
import { EmulatorControl } from "@/test/support/emulator-control";
import { DuoClient, type DuoClientOptions } from "./client";
import { parseDuoHost } from "./host";

let emulator: RunningEmulator;
let control: EmulatorControl;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, dataDir: null, policy: { pushTimeoutSeconds: 1, callTimeoutSeconds: 1, longPollSeconds: 5 } });
  control = new EmulatorControl(emulator.url);
});
afterAll(() => emulator.close());

const VARIANTS: Array<[string, Partial<DuoClientOptions>]> = [
  ["v5", { sigVersion: 5 }],
  ["v5 with X-Duo-Date", { sigVersion: 5, dateHeader: "X-Duo-Date" }],
  ["v2 HMAC-SHA512", { sigVersion: 2, digest: "sha512" }],
  ["v2 HMAC-SHA1", { sigVersion: 2, digest: "sha1" }],
];

function clientFor(options: Partial<DuoClientOptions>): DuoClient {
  const host = parseDuoHost(emulator.url);
  if (!host.ok) throw new Error(host.reason);
  return new DuoClient({ ikey: emulator.ikey, skey: emulator.skey, endpoint: host.endpoint, ...options });
}

let counter = 0;
const username = (label: string) => `client-${label.replace(/\W+/g, "-")}-${++counter}`;

describe.each(VARIANTS)("signed %s", (label, options) => {
  it("ping, check and logo", async () => {
    const duo = clientFor(options);
    expect(await duo.ping()).toMatchObject({ ok: true, value: { time: expect.any(Number) } });
    expect(await duo.check()).toMatchObject({ ok: true, value: { time: expect.any(Number) } });
    const logo = await duo.logo();
    if (!logo.ok) throw logo.error;
    expect(logo.value.mediaType).toBe("image/png");
    expect(Buffer.from(logo.value.bytes.subarray(1, 4)).toString()).toBe("PNG");
  });

  it("enroll and enroll_status: waiting, then success once scanned", async () => {
    const duo = clientFor(options);
    const enrolled = await duo.enroll({ username: username(label), validSecs: 600 });
    if (!enrolled.ok) throw enrolled.error;
    const { userId, activationCode } = enrolled.value;
    expect(await duo.enrollStatus({ userId, activationCode })).toEqual({ ok: true, value: "waiting" });
    await control.activate(activationCode);
    expect(await duo.enrollStatus({ userId, activationCode })).toEqual({ ok: true, value: "success" });
  });

  it("preauth: enroll for an unknown user, auth with devices, allow for bypass, deny for disabled", async () => {
    const duo = clientFor(options);
    expect(await duo.preauth({ username: username(label) })).toMatchObject({ ok: true, value: { result: "enroll" } });
    const name = username(label);
    const { user_id, device } = await control.createUser(name);
    const auth = await duo.preauth({ userId: user_id }, { ipaddr: "203.0.113.5" });
    expect(auth).toMatchObject({ ok: true, value: { result: "auth", devices: [expect.objectContaining({ device, capabilities: expect.arrayContaining(["push", "sms", "phone", "mobile_otp"]) })] } });
    await control.setStatus(name, "bypass");
    expect(await duo.preauth({ username: name })).toMatchObject({ ok: true, value: { result: "allow" } });
    await control.setStatus(name, "disabled");
    expect(await duo.preauth({ username: name })).toMatchObject({ ok: true, value: { result: "deny" } });
  });

  it("push, async: pushed, then allow through the long-poll", async () => {
    const duo = clientFor(options);
    const name = username(label);
    await control.createUser(name);
    const started = await duo.auth({ username: name, factor: "push", device: "auto", async: true, pushinfo: { from: "client test" } });
    if (!started.ok) throw started.error;
    expect(await duo.authStatus(started.value.txid)).toMatchObject({ ok: true, value: { result: "waiting", status: "pushed" } });
    const waiting = duo.authStatus(started.value.txid);
    await control.answer(started.value.txid, "approve");
    expect(await waiting).toMatchObject({ ok: true, value: { result: "allow", status: "allow" } });
  });

  it.each([
    ["deny", "deny"],
    ["fraud", "fraud"],
    ["timeout", "timeout"],
  ] as const)("push, sync: %s → deny/%s", async (answer, status) => {
    const duo = clientFor(options);
    const name = username(label);
    await control.createUser(name);
    const pending = duo.auth({ username: name, factor: "push", device: "auto" });
    const transaction = await control.waitingTransaction(name);
    await control.answer(transaction.txid, answer);
    expect(await pending).toMatchObject({ ok: true, value: { result: "deny", status } });
  });

  it("phone call, async: calling, then allow", async () => {
    const duo = clientFor(options);
    const name = username(label);
    await control.createUser(name);
    const started = await duo.auth({ username: name, factor: "phone", device: "auto", async: true });
    if (!started.ok) throw started.error;
    expect(await duo.authStatus(started.value.txid)).toMatchObject({ ok: true, value: { result: "waiting", status: "calling" } });
    await control.answer(started.value.txid, "approve");
    let status = await duo.authStatus(started.value.txid);
    while (status.ok && status.value.result === "waiting") status = await duo.authStatus(started.value.txid);
    expect(status).toMatchObject({ ok: true, value: { result: "allow" } });
  });

  it("passcode: Duo Mobile's allows once; a wrong one denies", async () => {
    const duo = clientFor(options);
    const name = username(label);
    const { device } = await control.createUser(name);
    const passcode = await control.passcode(device);
    expect(await duo.auth({ username: name, factor: "passcode", passcode })).toMatchObject({ ok: true, value: { result: "allow" } });
    expect(await duo.auth({ username: name, factor: "passcode", passcode })).toMatchObject({ ok: true, value: { result: "deny" } });
  });

  it("sms: deny/sent, then a passcode from the batch allows; auto picks push", async () => {
    const duo = clientFor(options);
    const name = username(label);
    await control.createUser(name);
    expect(await duo.auth({ username: name, factor: "sms", device: "auto" })).toMatchObject({ ok: true, value: { result: "deny", status: "sent" } });
    const [first] = await control.sms(name);
    expect(await duo.auth({ username: name, factor: "passcode", passcode: first ?? "" })).toMatchObject({ ok: true, value: { result: "allow" } });
    const auto = await duo.auth({ username: name, factor: "auto", device: "auto", async: true });
    if (!auto.ok) throw auto.error;
    expect((await control.transactions(name))[0]).toMatchObject({ txid: auto.value.txid, factor: "push" });
  });

  it("a FAIL envelope is a typed value: unknown txid, wrong secret key", async () => {
    const duo = clientFor(options);
    const unknown = await duo.authStatus("00000000-0000-4000-8000-000000000000");
    expect(unknown).toMatchObject({ ok: false, error: { kind: "api", code: 40002, httpStatus: 400 } });
    const wrongKey = clientFor({ ...options, skey: "x".repeat(40) });
    expect(await wrongKey.check()).toMatchObject({ ok: false, error: { kind: "api", code: 40103, httpStatus: 401 } });
  });
});
