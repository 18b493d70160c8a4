/**
 * The second-factor step against the Duo emulator over HTTP and a real database: every Duo answer leads
 * to the right outcome, and only an approved transaction (or a right passcode) passes the challenge.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import { withEmulator } from "@/test/support/emulator";
import { createChallenge, findChallenge, MAX_PUSHES_PER_CHALLENGE, type MfaChallenge } from "./challenge";
import { checkPasscode, openSecondFactor, sendToDevice, waitForAnswer, type SecondFactorContext } from "./second-factor";

const db = withTestDatabase();
const duo = withEmulator();
const client = { ip: "198.51.100.23", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36" };
/** Long enough for any answer the test gives; the route's own window is longer. */
const WAIT_MS = 10_000;

async function enrolledUser(devices?: Array<Record<string, unknown>>) {
  const email = `duo-${randomBytes(4).toString("hex")}@example.com`;
  const { user_id, device } = await duo.control.createUser(email, devices);
  const user = await db.client.user.create({ data: { email, passwordHash: "x", twoFactorEnabled: true, duoUserId: user_id, duoUsername: email } });
  const { id } = await createChallenge(user.id, "sign-in");
  const challenge = (await findChallenge(id, user.id)) as MfaChallenge;
  return { email, userId: user.id, device, duoUserId: user_id, challenge, context: { challenge, client, duoTrustedDeviceToken: null } satisfies SecondFactorContext };
}

async function refreshed(context: SecondFactorContext): Promise<SecondFactorContext> {
  return { ...context, challenge: (await findChallenge(context.challenge.id, context.challenge.userId)) as MfaChallenge };
}

async function pushAndAnswer(setup: Awaited<ReturnType<typeof enrolledUser>>, answer: "approve" | "deny" | "fraud") {
  const sent = await sendToDevice(setup.context, "push", setup.device);
  expect(sent).toMatchObject({ ok: true, status: "pushed" });
  const transaction = await duo.control.waitingTransaction(setup.email);
  await duo.control.answer(transaction.txid, answer);
  return waitForAnswer(await refreshed(setup.context), AbortSignal.timeout(WAIT_MS));
}

describe("opening the step", () => {
  it("shows the user's devices with what each can do, and the limits", async () => {
    const { context, device } = await enrolledUser();
    const view = await openSecondFactor(context);
    expect(view).toMatchObject({ status: "ready", pushesLeft: MAX_PUSHES_PER_CHALLENGE, attemptsLeft: 5, backupCodes: 0 });
    if (view.status !== "ready") throw new Error(view.status);
    expect(view.devices).toEqual([expect.objectContaining({ id: device, type: "phone", capabilities: ["push", "phone", "sms", "mobile_otp"] })]);
  });

  it("passes at once for a user Duo lets in without a second factor (bypass)", async () => {
    const { context, email, userId } = await enrolledUser();
    await duo.control.setStatus(email, "bypass");
    expect(await openSecondFactor(context)).toEqual({ status: "passed" });
    expect(await db.client.authEvent.count({ where: { userId, method: "duo-allow", result: "success" } })).toBe(1);
  });

  it("refuses with Duo's message a user Duo denies, and ends the challenge", async () => {
    const { context, email, challenge, userId } = await enrolledUser();
    await duo.control.setStatus(email, "disabled");
    const view = await openSecondFactor(context);
    expect(view.status).toBe("denied");
    expect((await findChallenge(challenge.id, userId))?.endedReason).toBe("denied");
  });

  it("says enroll for a user Duo does not know", async () => {
    const user = await db.client.user.create({ data: { email: `unknown-${randomBytes(4).toString("hex")}@example.com`, passwordHash: "x", twoFactorEnabled: true } });
    const { id } = await createChallenge(user.id, "sign-in");
    const challenge = (await findChallenge(id, user.id)) as MfaChallenge;
    expect(await openSecondFactor({ challenge, client, duoTrustedDeviceToken: null })).toMatchObject({ status: "enroll" });
  });
});

describe("Duo Push", () => {
  it("passes when approved, carrying the app, browser and address to the phone", async () => {
    const setup = await enrolledUser();
    const sent = await sendToDevice(setup.context, "push", setup.device);
    expect(sent).toMatchObject({ ok: true, status: "pushed" });
    const transaction = await duo.control.waitingTransaction(setup.email);
    expect(transaction.pushinfo).toMatchObject({ App: "Duo 2FA Reference", Browser: "Chrome on Linux", "IP address": client.ip });
    expect(transaction.display_username).toBe(setup.email);
    await duo.control.answer(transaction.txid, "approve");
    expect(await waitForAnswer(await refreshed(setup.context), AbortSignal.timeout(WAIT_MS))).toEqual({ status: "passed" });
    expect(await findChallenge(setup.challenge.id, setup.userId)).toMatchObject({ verifiedMethod: "push", verifiedDevice: setup.device });
  });

  it("does not pass when denied, and counts the failure", async () => {
    const setup = await enrolledUser();
    expect(await pushAndAnswer(setup, "deny")).toMatchObject({ status: "denied" });
    expect((await findChallenge(setup.challenge.id, setup.userId))?.verifiedAt).toBeNull();
    expect((await db.client.user.findUniqueOrThrow({ where: { id: setup.userId } })).secondFactorFailures).toBe(1);
  });

  it("ends the challenge on a fraud report and records it", async () => {
    const setup = await enrolledUser();
    expect(await pushAndAnswer(setup, "fraud")).toMatchObject({ status: "fraud" });
    expect((await findChallenge(setup.challenge.id, setup.userId))?.endedReason).toBe("fraud");
    expect(await db.client.authEvent.count({ where: { userId: setup.userId, result: "fraud" } })).toBe(1);
    expect(await sendToDevice(await refreshed(setup.context), "push", setup.device)).toEqual({ ok: false, code: "CHALLENGE_EXPIRED" });
  });

  it("reports a timeout when nobody answers", async () => {
    const setup = await enrolledUser();
    await duo.control.setPolicy({ pushTimeoutSeconds: 1 });
    try {
      await sendToDevice(setup.context, "push", setup.device);
      const view = await waitForAnswer(await refreshed(setup.context), AbortSignal.timeout(WAIT_MS));
      expect(view).toMatchObject({ status: "timeout" });
    } finally {
      await duo.control.setPolicy({ pushTimeoutSeconds: 60 });
    }
  });

  it("keeps waiting, without an answer, until the caller's window closes", async () => {
    const setup = await enrolledUser();
    await sendToDevice(setup.context, "push", setup.device);
    expect(await waitForAnswer(await refreshed(setup.context), AbortSignal.timeout(300))).toMatchObject({ status: "waiting", duoStatus: "pushed" });
  });

  it(`sends at most ${MAX_PUSHES_PER_CHALLENGE} pushes per challenge`, async () => {
    const setup = await enrolledUser();
    for (let i = 0; i < MAX_PUSHES_PER_CHALLENGE; i++) expect((await sendToDevice(setup.context, "push", setup.device)).ok).toBe(true);
    expect(await sendToDevice(setup.context, "push", setup.device)).toEqual({ ok: false, code: "SEND_LIMIT_REACHED" });
  });

  it("ignores an approval of a superseded push", async () => {
    const setup = await enrolledUser();
    await sendToDevice(setup.context, "push", setup.device);
    const first = await duo.control.waitingTransaction(setup.email);
    await sendToDevice(await refreshed(setup.context), "push", setup.device);
    await duo.control.answer(first.txid, "approve");
    // The challenge now waits on the second push; the first one's approval must not pass it.
    expect(await waitForAnswer(await refreshed(setup.context), AbortSignal.timeout(500))).toMatchObject({ status: "waiting" });
    expect((await findChallenge(setup.challenge.id, setup.userId))?.verifiedAt).toBeNull();
  });

  it("with Verified Push, passes only when the code shown is entered on the phone", async () => {
    await duo.control.setPolicy({ verifiedPush: true });
    try {
      const setup = await enrolledUser();
      expect((await openSecondFactor(setup.context)).status).toBe("ready");
      const sent = await sendToDevice(await refreshed(setup.context), "push", setup.device);
      if (!sent.ok) throw new Error(sent.code);
      expect(sent.verificationCode).toMatch(/^\d{3,6}$/);
      const transaction = await duo.control.waitingTransaction(setup.email);
      expect(transaction.verified_push).toBe(true);
      await duo.control.answer(transaction.txid, "approve", sent.verificationCode ?? "");
      expect(await waitForAnswer(await refreshed(setup.context), AbortSignal.timeout(WAIT_MS))).toEqual({ status: "passed" });
    } finally {
      await duo.control.setPolicy({ verifiedPush: false });
    }
  });
});

describe("phone call", () => {
  it("passes when answered and confirmed", async () => {
    const setup = await enrolledUser();
    expect(await sendToDevice(setup.context, "call", setup.device)).toMatchObject({ ok: true, status: "calling" });
    const transaction = await duo.control.waitingTransaction(setup.email);
    expect(transaction.factor).toBe("phone");
    await duo.control.answer(transaction.txid, "approve");
    expect(await waitForAnswer(await refreshed(setup.context), AbortSignal.timeout(WAIT_MS))).toEqual({ status: "passed" });
    expect((await findChallenge(setup.challenge.id, setup.userId))?.verifiedMethod).toBe("phone");
  });
});

describe("passcodes", () => {
  it("passes with the passcode Duo Mobile shows, and refuses a wrong one", async () => {
    const setup = await enrolledUser();
    expect(await checkPasscode(setup.context, "000000")).toEqual({ ok: false, code: "CODE_INVALID", attemptsLeft: 4 });
    const passcode = await duo.control.passcode(setup.device);
    expect(await checkPasscode(await refreshed(setup.context), passcode)).toEqual({ ok: true });
    expect((await findChallenge(setup.challenge.id, setup.userId))?.verifiedMethod).toBe("passcode");
  });

  it("sends SMS passcodes, says which comes next, and passes with one of them", async () => {
    const setup = await enrolledUser();
    const sent = await sendToDevice(setup.context, "sms", setup.device);
    if (!sent.ok) throw new Error(sent.code);
    expect(sent.status).toBe("sent");
    const codes = await duo.control.sms(setup.email);
    expect(sent.smsNextcode).toBe(codes[0]?.[0]);
    expect(await checkPasscode(await refreshed(setup.context), codes[0] ?? "")).toEqual({ ok: true });
  });

  it("reports a Duo lockout as such, and counts it as a failure", async () => {
    const setup = await enrolledUser();
    await duo.control.setStatus(setup.email, "locked_out");
    const result = await checkPasscode(setup.context, "123456");
    expect(result).toMatchObject({ ok: false, code: "DUO_LOCKED_OUT", attemptsLeft: 4 });
    expect((await db.client.user.findUniqueOrThrow({ where: { id: setup.userId } })).secondFactorFailures).toBe(1);
  });
});
