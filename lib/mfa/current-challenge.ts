/**
 * Which challenge a second-factor request works on: the pending sign-in challenge named in the session
 * token, or — for a signed-in session confirming a sensitive change — the step-up challenge named by the
 * challenge cookie. Either way it must belong to the session's user and be neither consumed, ended nor
 * expired (it may have passed already: then the edge completes it).
 */
import type { JWT } from "next-auth/jwt";
import { findActiveChallenge, type MfaChallenge } from "./challenge";

export type ChallengeLookup =
  | { ok: true; userId: string; challenge: MfaChallenge }
  | { ok: false; code: "UNAUTHENTICATED" | "CHALLENGE_EXPIRED" };

export async function currentChallenge(claims: JWT | null, stepUpChallengeId: string | null): Promise<ChallengeLookup> {
  if (!claims?.uid) return { ok: false, code: "UNAUTHENTICATED" };
  const id = claims.challengeId ?? stepUpChallengeId;
  if (!id) return { ok: false, code: "CHALLENGE_EXPIRED" };
  const challenge = await findActiveChallenge(id, claims.uid);
  // A pending session works only on its sign-in challenge; a signed-in one only on step-up and enroll ones.
  const allowed = claims.challengeId ? ["sign-in"] : ["step-up", "enroll"];
  if (!challenge || !allowed.includes(challenge.purpose)) return { ok: false, code: "CHALLENGE_EXPIRED" };
  return { ok: true, userId: claims.uid, challenge };
}
