/**
 * A check of a typed code (Duo passcode or backup code) against a challenge: reserve an attempt first
 * (so concurrent guesses cannot exceed the cap), run the check, then pass the challenge or count the
 * failure, ending the challenge when its attempts are spent or the account locks.
 */
import type { ErrorCode } from "../errors";
import type { ClientInfo } from "../http/client-info";
import {
  codeAttemptsLeft,
  endChallenge,
  endIfAttemptsSpent,
  findChallenge,
  MAX_CODE_ATTEMPTS_PER_CHALLENGE,
  releaseCodeAttempt,
  reserveCodeAttempt,
  type MfaChallenge,
} from "./challenge";
import { failSecondFactor, passSecondFactor, type SecondFactorMethod } from "./verify";

export type CheckVerdict =
  | { verdict: "valid"; device: string | null; duoTrustedDeviceToken?: string | null }
  /** A wrong code. `code` names a more specific refusal to report (still counted as a failure). */
  | { verdict: "invalid"; device: string | null; code?: ErrorCode }
  /** The check could not be made (Duo down, Duo says locked out): no attempt is counted against the user. */
  | { verdict: "error"; code: ErrorCode };

export type CodeCheckResult = { ok: true } | { ok: false; code: ErrorCode; attemptsLeft: number };

export async function runCodeCheck(
  challenge: MfaChallenge,
  method: SecondFactorMethod,
  client: ClientInfo,
  check: () => Promise<CheckVerdict>,
): Promise<CodeCheckResult> {
  if (!(await reserveCodeAttempt(challenge.id))) return { ok: false, code: await whyClosed(challenge), attemptsLeft: 0 };

  const outcome = await check();
  if (outcome.verdict === "valid") {
    const passed = await passSecondFactor(challenge, { method, device: outcome.device, duoTrustedDeviceToken: outcome.duoTrustedDeviceToken }, client);
    return passed ? { ok: true } : { ok: false, code: "CHALLENGE_EXPIRED", attemptsLeft: 0 };
  }
  if (outcome.verdict === "error") {
    await releaseCodeAttempt(challenge.id);
    return { ok: false, code: outcome.code, attemptsLeft: await attemptsLeft(challenge) };
  }

  const locked = await failSecondFactor(challenge, { method, device: outcome.device, result: "failure" }, client);
  if (locked) {
    await endChallenge(challenge.id, "locked");
    return { ok: false, code: "ACCOUNT_LOCKED", attemptsLeft: 0 };
  }
  if (await endIfAttemptsSpent(challenge.id)) return { ok: false, code: "ATTEMPTS_EXHAUSTED", attemptsLeft: 0 };
  return { ok: false, code: outcome.code ?? "CODE_INVALID", attemptsLeft: await attemptsLeft(challenge) };
}

async function attemptsLeft(challenge: MfaChallenge): Promise<number> {
  const current = await findChallenge(challenge.id, challenge.userId);
  return current ? codeAttemptsLeft(current) : 0;
}

/** Why no attempt could be reserved: the attempts are spent, or the challenge is no longer open. */
async function whyClosed(challenge: MfaChallenge): Promise<ErrorCode> {
  const current = await findChallenge(challenge.id, challenge.userId);
  if (current && current.codeAttempts >= MAX_CODE_ATTEMPTS_PER_CHALLENGE) {
    await endIfAttemptsSpent(challenge.id);
    return "ATTEMPTS_EXHAUSTED";
  }
  return "CHALLENGE_EXPIRED";
}
