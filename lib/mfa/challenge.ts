/**
 * Pending second factors. A challenge is created after a correct password (or before a sensitive
 * change), lives on the server, and is referenced from the session token by its random id alone.
 *
 * Every write that guards security is a conditional update whose condition is the guard, so that two
 * concurrent requests cannot both pass it: the database decides, not a read followed by a write.
 */
import { randomBytes } from "node:crypto";
import { getDb } from "../db/client";
import type { MfaChallenge } from "../db/generated/client";

/** How long the user has to finish the second factor after the password. */
export const CHALLENGE_TTL_SECONDS = 10 * 60;
/** Passcode and backup-code checks per challenge; the challenge ends when they are spent. */
export const MAX_CODE_ATTEMPTS_PER_CHALLENGE = 5;
/** Pushes per challenge ("Send another push" is capped against push fatigue). */
export const MAX_PUSHES_PER_CHALLENGE = 3;
export const MAX_CALLS_PER_CHALLENGE = 3;
/** SMS batches per challenge (each one invalidates the previous batch). */
export const MAX_SMS_BATCHES_PER_CHALLENGE = 3;
/** 128 bits: the id is a bearer reference inside the (encrypted) session token. */
const CHALLENGE_ID_BYTES = 16;

/**
 * "sign-in": after the password. "step-up": a signed-in user confirming a sensitive change. "enroll": a
 * signed-in user confirming a newly activated Duo device with one real authentication.
 */
export type ChallengePurpose = "sign-in" | "step-up" | "enroll";
export type ChallengeEndReason = "cancelled" | "fraud" | "too-many-attempts" | "denied" | "locked" | "superseded";
export type SendKind = "push" | "call" | "sms";

export type { MfaChallenge };

export interface PendingChallenge {
  id: string;
  expiresAt: Date;
}

export async function createChallenge(userId: string, purpose: ChallengePurpose, now = new Date()): Promise<PendingChallenge> {
  return getDb().mfaChallenge.create({
    data: {
      id: randomBytes(CHALLENGE_ID_BYTES).toString("base64url"),
      userId,
      purpose,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000),
    },
    select: { id: true, expiresAt: true },
  });
}

/** Conditions under which a challenge can still be worked on. */
function open(now: Date) {
  return { verifiedAt: null, consumedAt: null, endedAt: null, expiresAt: { gt: now } };
}

/** The challenge, if it belongs to the user and is still open (not passed, ended, consumed or expired). */
export async function findOpenChallenge(challengeId: string, userId: string, now = new Date()): Promise<MfaChallenge | null> {
  return getDb().mfaChallenge.findFirst({ where: { id: challengeId, userId, ...open(now) } });
}

/** The challenge, if it belongs to the user and can still pass or complete (passed but not yet consumed). */
export async function findActiveChallenge(challengeId: string, userId: string, now = new Date()): Promise<MfaChallenge | null> {
  return getDb().mfaChallenge.findFirst({ where: { id: challengeId, userId, consumedAt: null, endedAt: null, expiresAt: { gt: now } } });
}

export async function findChallenge(challengeId: string, userId: string): Promise<MfaChallenge | null> {
  return getDb().mfaChallenge.findFirst({ where: { id: challengeId, userId } });
}

/**
 * Reserves one code check before it runs. The increment is guarded by the cap, so of N concurrent wrong
 * guesses at most MAX_CODE_ATTEMPTS_PER_CHALLENGE are ever checked.
 */
export async function reserveCodeAttempt(challengeId: string, now = new Date()): Promise<boolean> {
  const { count } = await getDb().mfaChallenge.updateMany({
    where: { id: challengeId, ...open(now), codeAttempts: { lt: MAX_CODE_ATTEMPTS_PER_CHALLENGE } },
    data: { codeAttempts: { increment: 1 } },
  });
  return count === 1;
}

/** Gives back a reserved check that could not be made (Duo unreachable): an outage is not a guess. */
export async function releaseCodeAttempt(challengeId: string): Promise<void> {
  await getDb().mfaChallenge.updateMany({ where: { id: challengeId, codeAttempts: { gt: 0 } }, data: { codeAttempts: { decrement: 1 } } });
}

/** Ends the challenge once its code checks are spent; true if this call ended it. */
export async function endIfAttemptsSpent(challengeId: string, now = new Date()): Promise<boolean> {
  const { count } = await getDb().mfaChallenge.updateMany({
    where: { id: challengeId, endedAt: null, verifiedAt: null, codeAttempts: { gte: MAX_CODE_ATTEMPTS_PER_CHALLENGE } },
    data: { endedAt: now, endedReason: "too-many-attempts" satisfies ChallengeEndReason },
  });
  return count === 1;
}

const SEND_CAPS: Record<SendKind, { field: "pushesSent" | "callsPlaced" | "smsBatchesSent"; max: number }> = {
  push: { field: "pushesSent", max: MAX_PUSHES_PER_CHALLENGE },
  call: { field: "callsPlaced", max: MAX_CALLS_PER_CHALLENGE },
  sms: { field: "smsBatchesSent", max: MAX_SMS_BATCHES_PER_CHALLENGE },
};

/** Reserves one push, call or SMS batch under its cap; a burst of "send again" clicks cannot pass it. */
export async function reserveSend(challengeId: string, kind: SendKind, now = new Date()): Promise<boolean> {
  const { field, max } = SEND_CAPS[kind];
  const { count } = await getDb().mfaChallenge.updateMany({
    where: { id: challengeId, ...open(now), [field]: { lt: max } },
    data: { [field]: { increment: 1 } },
  });
  return count === 1;
}

/** How many sends of this kind are left on the challenge. */
export function sendsLeft(challenge: MfaChallenge, kind: SendKind): number {
  const { field, max } = SEND_CAPS[kind];
  return Math.max(0, max - challenge[field]);
}

export function codeAttemptsLeft(challenge: MfaChallenge): number {
  return Math.max(0, MAX_CODE_ATTEMPTS_PER_CHALLENGE - challenge.codeAttempts);
}

/** Records the out-of-band transaction now in flight (a new push or call replaces the old one). */
export async function recordTransaction(
  challengeId: string,
  transaction: { txid: string; factor: "push" | "phone"; device: string; status: string },
  now = new Date(),
): Promise<boolean> {
  const { count } = await getDb().mfaChallenge.updateMany({
    where: { id: challengeId, ...open(now) },
    data: { duoTxid: transaction.txid, duoFactor: transaction.factor, duoDevice: transaction.device, duoStatus: transaction.status },
  });
  return count === 1;
}

/** Keeps Duo's latest status for the transaction in flight, if it is still the one in flight. */
export async function recordTransactionStatus(challengeId: string, txid: string, status: string): Promise<void> {
  await getDb().mfaChallenge.updateMany({ where: { id: challengeId, duoTxid: txid, verifiedAt: null, endedAt: null }, data: { duoStatus: status } });
}

/**
 * Closes the transaction in flight with Duo's final refusal. Conditional on it still being in flight, so
 * that when two polls both see the same final answer only one of them records it (and counts it).
 */
export async function settleTransaction(challengeId: string, txid: string, status: string): Promise<boolean> {
  const { count } = await getDb().mfaChallenge.updateMany({ where: { id: challengeId, duoTxid: txid }, data: { duoTxid: null, duoStatus: status } });
  return count === 1;
}

export async function recordVerifiedPush(challengeId: string, txid: string, code: string, expiresAt: Date, now = new Date()): Promise<void> {
  await getDb().mfaChallenge.updateMany({
    where: { id: challengeId, ...open(now) },
    data: { verificationTxid: txid, verificationCode: code, verificationExpiresAt: expiresAt },
  });
}

export async function setRememberBrowser(challengeId: string, remember: boolean, now = new Date()): Promise<void> {
  await getDb().mfaChallenge.updateMany({ where: { id: challengeId, ...open(now) }, data: { rememberBrowser: remember } });
}

/**
 * Marks the challenge passed. Conditional on it still being open, so a challenge that was cancelled,
 * ended by fraud, or expired a moment ago cannot be passed by a late answer; true if this call passed it.
 * For push and phone, `txid` must still be the transaction in flight (an answer to a superseded push
 * does not count).
 */
export async function markVerified(
  challengeId: string,
  proof: { method: string; device: string | null; txid?: string; duoTrustedDeviceToken?: string | null },
  now = new Date(),
): Promise<boolean> {
  const { count } = await getDb().mfaChallenge.updateMany({
    where: { id: challengeId, ...open(now), ...(proof.txid ? { duoTxid: proof.txid } : {}) },
    data: {
      verifiedAt: now,
      verifiedMethod: proof.method,
      verifiedDevice: proof.device,
      duoTrustedDeviceToken: proof.duoTrustedDeviceToken ?? null,
    },
  });
  return count === 1;
}

/** Ends an open challenge for good; true if this call ended it. */
export async function endChallenge(challengeId: string, reason: ChallengeEndReason, now = new Date()): Promise<boolean> {
  const { count } = await getDb().mfaChallenge.updateMany({
    where: { id: challengeId, endedAt: null, consumedAt: null },
    data: { endedAt: now, endedReason: reason },
  });
  return count === 1;
}

/**
 * Marks a verified challenge consumed and reports whether this call did it. The guarded update is atomic:
 * of two concurrent upgrades with one challenge (a replay racing the original), exactly one succeeds.
 */
export async function consumeVerifiedChallenge(
  challengeId: string,
  userId: string,
  purposes: ChallengePurpose[],
  now = new Date(),
): Promise<MfaChallenge | null> {
  const { count } = await getDb().mfaChallenge.updateMany({
    where: { id: challengeId, userId, purpose: { in: purposes }, verifiedAt: { not: null }, consumedAt: null, endedAt: null, expiresAt: { gt: now } },
    data: { consumedAt: now },
  });
  // Re-read what was consumed: the session claim is built from the database, never from the request.
  return count === 1 ? getDb().mfaChallenge.findUnique({ where: { id: challengeId } }) : null;
}
