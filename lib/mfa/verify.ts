/**
 * The one core every second factor ends in: a pass marks the challenge verified (once), resets the
 * account's failure count and records an event; a failure counts towards the account lockout and
 * records an event. The session itself is upgraded at the edge, from the database (session-token.ts).
 */
import { recordAuthEvent, type AuthEventMethod, type AuthEventResult } from "../audit/events";
import type { ClientInfo } from "../http/client-info";
import { markVerified, type MfaChallenge } from "./challenge";
import { recordSecondFactorFailure, resetSecondFactorFailures } from "./lockout";

export type SecondFactorMethod = Extract<AuthEventMethod, "push" | "passcode" | "phone" | "sms" | "backup-code" | "duo-allow" | "failopen">;

export interface SecondFactorPass {
  method: SecondFactorMethod;
  device: string | null;
  /** For push and phone: the transaction that was answered; it must still be the one in flight. */
  txid?: string;
  duoTrustedDeviceToken?: string | null;
}

function eventType(challenge: MfaChallenge) {
  return challenge.purpose === "step-up" ? "step-up" : "second-factor";
}

/** Returns false when the challenge was no longer open (ended, expired, already passed). */
export async function passSecondFactor(challenge: MfaChallenge, pass: SecondFactorPass, client: ClientInfo): Promise<boolean> {
  const verified = await markVerified(challenge.id, pass);
  if (!verified) return false;
  await resetSecondFactorFailures(challenge.userId);
  await recordAuthEvent({
    userId: challenge.userId,
    type: eventType(challenge),
    result: pass.method === "failopen" ? "skipped" : "success",
    method: pass.method,
    device: pass.device,
    client,
  });
  return true;
}

/**
 * Records a failed second factor. Wrong codes and refused pushes or calls count towards the account
 * lockout; timeouts and fraud reports do not (an unanswered phone is not a guess, and fraud ends the
 * challenge on its own). Returns whether the account is now locked.
 */
export async function failSecondFactor(
  challenge: MfaChallenge,
  failure: { method: SecondFactorMethod; device: string | null; result: Extract<AuthEventResult, "failure" | "denied" | "timeout" | "fraud" | "locked"> },
  client: ClientInfo,
): Promise<boolean> {
  const counts = failure.result === "failure" || failure.result === "denied";
  const locked = counts ? await recordSecondFactorFailure(challenge.userId) : false;
  await recordAuthEvent({
    userId: challenge.userId,
    type: eventType(challenge),
    result: failure.result,
    method: failure.method,
    device: failure.device,
    client,
  });
  return locked;
}
