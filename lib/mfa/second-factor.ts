/**
 * The second-factor step against Duo, one function per thing the user can do at /mfa (or when
 * confirming a sensitive change): open the challenge (health check + preauth), send a push, place a
 * call, send SMS passcodes, check a passcode, and wait for the push or call to be answered.
 *
 * Every function takes the challenge the edge loaded (open, owned by the session's user) and returns a
 * view the UI renders; a pass is recorded by lib/mfa/verify.ts and the session is upgraded at the edge.
 */
import { recordAuthEvent } from "../audit/events";
import { countRemainingBackupCodes } from "../backup-codes/store";
import { getConfig } from "../config/env";
import { getDb } from "../db/client";
import { checkDuoHealth } from "../duo/health";
import type { DuoUser } from "../duo/requests";
import type { DuoDevice, VerifiedPush } from "../duo/types";
import type { ErrorCode } from "../errors";
import type { ClientInfo } from "../http/client-info";
import { log } from "../log";
import { browserLabel } from "../trusted-browsers/browser-label";
import {
  codeAttemptsLeft,
  endChallenge,
  findChallenge,
  recordTransaction,
  recordTransactionStatus,
  recordVerifiedPush,
  reserveSend,
  sendsLeft,
  settleTransaction,
  type MfaChallenge,
  type SendKind,
} from "./challenge";
import { runCodeCheck, type CodeCheckResult } from "./code-check";
import { duoUserOf, getDuo, interactive, isOutage } from "./duo-access";
import { lockState } from "./lockout";
import { failSecondFactor, passSecondFactor } from "./verify";

/**
 * How long one status request waits for Duo's answer before it says "waiting" and the page asks again.
 * Under the usual 30 s limit of serverless functions (the route declares maxDuration = 30).
 */
export const MFA_STATUS_WINDOW_SECONDS = 20;
/** A Verified Push code is valid this long after preauth (Duo: 60 s); we stop offering it a little sooner. */
const VERIFIED_PUSH_MARGIN_SECONDS = 5;

export type Capability = "push" | "phone" | "sms" | "mobile_otp";

export interface DeviceView {
  id: string;
  label: string;
  type: "phone" | "token";
  capabilities: Capability[];
  /** First digit of the next SMS passcode, while a batch is outstanding. */
  smsNextcode: string | null;
}

export interface ChallengeLimits {
  pushesLeft: number;
  callsLeft: number;
  smsLeft: number;
  attemptsLeft: number;
  expiresAt: string;
}

export type MfaView =
  | ({ status: "ready"; devices: DeviceView[]; backupCodes: number } & ChallengeLimits)
  /** The challenge has passed: the edge upgrades the session. */
  | { status: "passed" }
  /** Duo (or the user's account there) refuses this sign-in. */
  | { status: "denied"; message: string }
  /**
   * Duo has no device for this user. `enrollNow`: the user may set one up right here (REQUIRE_2FA, 2FA not
   * yet on: trust on first use); otherwise only backup codes can finish this sign-in.
   */
  | { status: "enroll"; backupCodes: number; enrollNow: boolean; email: string }
  /** Duo is unreachable and the fail mode is closed: only backup codes work. */
  | { status: "unavailable"; backupCodes: number }
  | { status: "locked"; until: string }
  | { status: "expired" };

export interface SecondFactorContext {
  challenge: MfaChallenge;
  client: ClientInfo;
  /** Duo's remembered-device token kept with this browser, if any (sign-in only). */
  duoTrustedDeviceToken: string | null;
}

async function accountOf(userId: string) {
  return getDb().user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, duoUserId: true, duoUsername: true, twoFactorEnabled: true },
  });
}

function limitsOf(challenge: MfaChallenge): ChallengeLimits {
  return {
    pushesLeft: sendsLeft(challenge, "push"),
    callsLeft: sendsLeft(challenge, "call"),
    smsLeft: sendsLeft(challenge, "sms"),
    attemptsLeft: codeAttemptsLeft(challenge),
    expiresAt: challenge.expiresAt.toISOString(),
  };
}

function deviceView(device: DuoDevice): DeviceView {
  const known: Capability[] = ["push", "phone", "sms", "mobile_otp"];
  const capabilities = known.filter((c) => device.capabilities.includes(c));
  const isToken = device.type === "token";
  const label = device.displayName || device.name || (isToken ? "Hardware token" : device.number || "Phone");
  return { id: device.device, label, type: isToken ? "token" : "phone", capabilities, smsNextcode: device.smsNextcode ?? null };
}

/**
 * DUO_FAILMODE applied to a sign-in that Duo cannot serve: closed leaves only backup codes; open passes
 * the challenge on the password alone, loudly. Step-up and enrollment never fail open.
 */
async function duoUnavailable(context: SecondFactorContext, reason: string): Promise<MfaView> {
  const { challenge, client } = context;
  if (getConfig().duo.failMode === "open" && challenge.purpose === "sign-in") {
    log.warn("mfa.failopen", { user: challenge.userId, reason, note: "DUO_FAILMODE=open: second factor SKIPPED because Duo is unavailable" });
    await passSecondFactor(challenge, { method: "failopen", device: null }, client);
    return { status: "passed" };
  }
  log.warn("mfa.duo_unavailable", { user: challenge.userId, reason });
  return { status: "unavailable", backupCodes: await countRemainingBackupCodes(challenge.userId) };
}

/** What the user sees on arriving at the step: health check, then preauth. */
export async function openSecondFactor(context: SecondFactorContext): Promise<MfaView> {
  const { challenge, client } = context;
  const lock = await lockState(challenge.userId);
  if (lock.locked && lock.until) return { status: "locked", until: lock.until.toISOString() };

  const health = await checkDuoHealth(getDuo(), interactive());
  if (!health.reachable) return duoUnavailable(context, `health:${health.verdict}`);

  const account = await accountOf(challenge.userId);
  const preauth = await getDuo().preauth(duoUserOf(account), {
    ...interactive(),
    ipaddr: client.ip ?? undefined,
    trustedDeviceToken: context.duoTrustedDeviceToken ?? undefined,
    clientSupportsVerifiedPush: true,
  });
  if (!preauth.ok) {
    if (isOutage(preauth.error)) return duoUnavailable(context, `preauth:${preauth.error.kind}`);
    log.error("mfa.preauth_refused", { user: challenge.userId, code: preauth.error.kind === "api" ? String(preauth.error.code) : preauth.error.kind });
    return { status: "denied", message: "Duo could not check this sign-in. Contact your administrator." };
  }

  const answer = preauth.value;
  switch (answer.result) {
    case "allow": {
      // Duo lets this user in without a second factor (bypass, trusted network, remembered device).
      const passed = await passSecondFactor(challenge, { method: "duo-allow", device: null }, client);
      return passed ? { status: "passed" } : { status: "expired" };
    }
    case "deny":
      await endChallenge(challenge.id, "denied");
      await recordAuthEvent({ userId: challenge.userId, type: "second-factor", result: "denied", method: "duo-allow", client });
      return { status: "denied", message: answer.statusMsg || "Duo refused this sign-in." };
    case "enroll":
      return {
        status: "enroll",
        backupCodes: await countRemainingBackupCodes(challenge.userId),
        enrollNow: challenge.purpose === "sign-in" && getConfig().policy.require2fa && !account.twoFactorEnabled,
        email: account.email,
      };
    case "auth": {
      if (answer.verifiedPush) await keepVerifiedPush(challenge, answer.verifiedPush);
      const current = (await findChallenge(challenge.id, challenge.userId)) ?? challenge;
      return {
        status: "ready",
        devices: answer.devices.map(deviceView),
        backupCodes: await countRemainingBackupCodes(challenge.userId),
        ...limitsOf(current),
      };
    }
  }
}

export type SendResult =
  | { ok: true; status: "pushed" | "calling" | "sent"; verificationCode: string | null; smsNextcode: string | null; limits: ChallengeLimits }
  | { ok: false; code: ErrorCode }
  | { ok: false; code: "PASSED"; view: MfaView };

const SEND_FACTOR: Record<SendKind, "push" | "phone" | "sms"> = { push: "push", call: "phone", sms: "sms" };

/** Sends a push, places a call, or sends a batch of SMS passcodes to one of the user's devices. */
export async function sendToDevice(context: SecondFactorContext, kind: SendKind, device: string): Promise<SendResult> {
  const { challenge, client } = context;
  if (!(await reserveSend(challenge.id, kind))) {
    const current = await findChallenge(challenge.id, challenge.userId);
    return { ok: false, code: current && !current.endedAt && current.expiresAt > new Date() ? "SEND_LIMIT_REACHED" : "CHALLENGE_EXPIRED" };
  }
  const account = await accountOf(challenge.userId);
  const user = duoUserOf(account);
  const factor = SEND_FACTOR[kind];

  if (factor === "sms") {
    const sent = await getDuo().auth({ ...user, factor: "sms", device, ipaddr: client.ip ?? undefined }, interactive());
    if (!sent.ok) return failedSend(context, sent.error);
    await recordAuthEvent({ userId: challenge.userId, type: challenge.purpose === "step-up" ? "step-up" : "second-factor", result: "success", method: "sms", device, client });
    return { ok: true, status: "sent", verificationCode: null, smsNextcode: await nextSmsCode(context, device), limits: limitsOf(await reload(challenge)) };
  }

  const verification = factor === "push" ? await usableVerification(context, user) : null;
  const started = await getDuo().auth(
    factor === "push"
      ? {
          ...user,
          factor: "push",
          device,
          async: true,
          ipaddr: client.ip ?? undefined,
          type: challenge.purpose === "sign-in" ? "Sign-in" : "Confirm change",
          displayUsername: account.email,
          pushinfo: pushInfo(client),
          ...(verification ? { txid: verification.txid } : {}),
        }
      : { ...user, factor: "phone", device, async: true, ipaddr: client.ip ?? undefined },
    interactive(),
  );
  if (!started.ok) return failedSend(context, started.error);
  const status = factor === "push" ? "pushed" : "calling";
  await recordTransaction(challenge.id, { txid: started.value.txid, factor, device, status });
  return { ok: true, status, verificationCode: verification?.code ?? null, smsNextcode: null, limits: limitsOf(await reload(challenge)) };
}

async function failedSend(context: SecondFactorContext, error: Parameters<typeof isOutage>[0]): Promise<SendResult> {
  if (isOutage(error)) {
    const view = await duoUnavailable(context, `send:${error.kind}`);
    return view.status === "passed" ? { ok: false, code: "PASSED", view } : { ok: false, code: "DUO_UNAVAILABLE" };
  }
  // A 400: the device cannot do this (e.g. no capable device).
  return { ok: false, code: "METHOD_UNAVAILABLE" };
}

const VERIFIED_PUSH_LIFETIME_SECONDS = 60;

async function keepVerifiedPush(challenge: MfaChallenge, verified: VerifiedPush): Promise<void> {
  const expiresAt = new Date((verified.expiration ?? Date.now() / 1000 + VERIFIED_PUSH_LIFETIME_SECONDS) * 1000);
  await recordVerifiedPush(challenge.id, verified.txid, verified.verificationCode, expiresAt);
}

/**
 * The Verified Push code to send with a push: the one from the last preauth while it is fresh, else a
 * fresh one (Duo's code expires 60 s after preauth, and a push may be re-sent later than that).
 */
async function usableVerification(context: SecondFactorContext, user: DuoUser): Promise<{ txid: string; code: string } | null> {
  const { challenge, client } = context;
  const margin = VERIFIED_PUSH_MARGIN_SECONDS * 1000;
  if (challenge.verificationTxid && challenge.verificationCode && challenge.verificationExpiresAt && challenge.verificationExpiresAt.getTime() - margin > Date.now()) {
    return { txid: challenge.verificationTxid, code: challenge.verificationCode };
  }
  if (!challenge.verificationTxid) return null;
  const preauth = await getDuo().preauth(user, { ...interactive(), ipaddr: client.ip ?? undefined, clientSupportsVerifiedPush: true });
  if (!preauth.ok || preauth.value.result !== "auth" || !preauth.value.verifiedPush) return null;
  await keepVerifiedPush(challenge, preauth.value.verifiedPush);
  return { txid: preauth.value.verifiedPush.txid, code: preauth.value.verifiedPush.verificationCode };
}

async function nextSmsCode(context: SecondFactorContext, device: string): Promise<string | null> {
  const account = await accountOf(context.challenge.userId);
  const preauth = await getDuo().preauth(duoUserOf(account), { ...interactive(), ipaddr: context.client.ip ?? undefined });
  if (!preauth.ok || preauth.value.result !== "auth") return null;
  return preauth.value.devices.find((d) => d.device === device)?.smsNextcode ?? null;
}

async function reload(challenge: MfaChallenge): Promise<MfaChallenge> {
  return (await findChallenge(challenge.id, challenge.userId)) ?? challenge;
}

/** What Duo Mobile shows with the push: which app, which browser, from where. */
function pushInfo(client: ClientInfo): Record<string, string> {
  return {
    App: getConfig().appName,
    Browser: browserLabel(client.userAgent),
    ...(client.ip ? { "IP address": client.ip } : {}),
  };
}

/** A passcode from Duo Mobile, an SMS batch or a hardware token, checked by Duo. */
export async function checkPasscode(context: SecondFactorContext, passcode: string): Promise<CodeCheckResult | { ok: false; code: "PASSED"; view: MfaView }> {
  const { challenge, client } = context;
  const account = await accountOf(challenge.userId);
  const result = await runCodeCheck(challenge, "passcode", client, async () => {
    const answer = await getDuo().auth({ ...duoUserOf(account), factor: "passcode", passcode, ipaddr: client.ip ?? undefined }, interactive());
    if (!answer.ok) return isOutage(answer.error) ? { verdict: "error", code: "DUO_UNAVAILABLE" } : { verdict: "invalid", device: null };
    if (answer.value.result === "allow") return { verdict: "valid", device: null, duoTrustedDeviceToken: answer.value.trustedDeviceToken ?? null };
    // Duo locked the user out: a refusal like a wrong code (it counts), reported as Duo's lockout.
    if (answer.value.status === "locked_out") return { verdict: "invalid", device: null, code: "DUO_LOCKED_OUT" };
    return { verdict: "invalid", device: null };
  });
  if (!result.ok && result.code === "DUO_UNAVAILABLE") {
    const view = await duoUnavailable(context, "passcode");
    if (view.status === "passed") return { ok: false, code: "PASSED", view };
  }
  return result;
}

export type WaitView =
  | { status: "idle" }
  | { status: "waiting"; duoStatus: string; message: string }
  | { status: "passed" }
  | { status: "denied" | "timeout" | "fraud" | "duo-locked-out" | "locked" | "expired" | "unavailable"; message: string };

const WAITING_MESSAGES: Record<string, string> = {
  pushed: "Push sent. Approve it in Duo Mobile.",
  push_failed: "The push could not be delivered. Open Duo Mobile to find it, or choose another method.",
  calling: "Calling your phone…",
  answered: "Call answered. Follow the instructions on the call.",
};

/**
 * Waits (up to the caller's signal) for the push or call in flight to be answered. Duo's auth_status
 * long-polls, so this returns as soon as the user answers — no fixed polling interval.
 */
export async function waitForAnswer(context: SecondFactorContext, signal: AbortSignal): Promise<WaitView> {
  const { challenge, client } = context;
  const txid = challenge.duoTxid;
  if (!txid) return { status: "idle" };
  const method = challenge.duoFactor === "phone" ? "phone" : "push";
  const device = challenge.duoDevice;

  // Duo answers the first poll at once with the state we have not seen (usually "pushed"); a state we
  // already know is not news, so keep long-polling until something changes or the window closes.
  const known = challenge.duoStatus;
  let answer = await getDuo().authStatus(txid, { signal });
  while (answer.ok && answer.value.result === "waiting" && answer.value.status === known && !signal.aborted) {
    answer = await getDuo().authStatus(txid, { signal });
  }
  if (!answer.ok) {
    if (answer.error.kind === "aborted" || signal.aborted) {
      const status = known ?? "pushed";
      return { status: "waiting", duoStatus: status, message: WAITING_MESSAGES[status] ?? "Waiting for Duo…" };
    }
    if (isOutage(answer.error)) {
      const view = await duoUnavailable(context, `status:${answer.error.kind}`);
      return view.status === "passed" ? view : { status: "unavailable", message: "Duo stopped answering. Use a backup code, or try again in a few minutes." };
    }
    return { status: "expired", message: "This request is no longer valid. Send a new one." };
  }

  const value = answer.value;
  if (value.result === "waiting") {
    await recordTransactionStatus(challenge.id, txid, value.status);
    return { status: "waiting", duoStatus: value.status, message: WAITING_MESSAGES[value.status] ?? (value.statusMsg || "Waiting for Duo…") };
  }
  if (value.result === "allow") {
    const passed = await passSecondFactor(challenge, { method, device, txid, duoTrustedDeviceToken: value.trustedDeviceToken ?? null }, client);
    if (passed) return { status: "passed" };
    const current = await findChallenge(challenge.id, challenge.userId);
    return current?.verifiedAt ? { status: "passed" } : { status: "expired", message: "This sign-in attempt has ended. Sign in again." };
  }

  // A refusal: only the first poll to see it records it.
  const first = await settleTransaction(challenge.id, txid, value.status);
  switch (value.status) {
    case "fraud":
      if (first) {
        await endChallenge(challenge.id, "fraud");
        await failSecondFactor(challenge, { method, device, result: "fraud" }, client);
        log.warn("mfa.fraud_reported", { user: challenge.userId, method });
      }
      return { status: "fraud", message: "You reported this request as fraudulent, so this sign-in was stopped." };
    case "timeout":
      if (first) await failSecondFactor(challenge, { method, device, result: "timeout" }, client);
      return { status: "timeout", message: method === "push" ? "The push timed out. Send another, or choose another method." : "The call timed out. Try again, or choose another method." };
    case "locked_out":
      if (first) await failSecondFactor(challenge, { method, device, result: "locked" }, client);
      return { status: "duo-locked-out", message: "Duo has locked your account. Use a backup code, or contact your administrator." };
    default: {
      const locked = first ? await failSecondFactor(challenge, { method, device, result: "denied" }, client) : false;
      if (locked) {
        await endChallenge(challenge.id, "locked");
        return { status: "locked", message: "Too many failed attempts. Two-factor sign-in is paused for 15 minutes." };
      }
      return { status: "denied", message: method === "push" ? "The push was denied. Try again, or choose another method." : "The call was not confirmed. Try again, or choose another method." };
    }
  }
}
