/**
 * Who may work on an enrollment: a signed-in user (from the security page), or — only under REQUIRE_2FA,
 * for a user who has never turned 2FA on — a pending sign-in (trust on first use). A pending sign-in of a
 * user who already has 2FA can never enroll: that would let a password alone add a new device.
 */
import type { NextRequest } from "next/server";
import { readSessionClaims } from "../auth/session-claims";
import { getConfig } from "../config/env";
import { getDb } from "../db/client";
import type { ErrorCode } from "../errors";
import { clientInfo, type ClientInfo } from "../http/client-info";
import { findActiveChallenge, type MfaChallenge } from "../mfa/challenge";
import { mfaLimitRefusal } from "../mfa/mfa-request";

export type EnrollmentRequest =
  | { ok: true; userId: string; client: ClientInfo; signInChallenge: MfaChallenge | null }
  | { ok: false; code: ErrorCode };

export async function loadEnrollmentRequest(request: NextRequest): Promise<EnrollmentRequest> {
  const config = getConfig();
  const claims = await readSessionClaims(request);
  if (!claims?.uid) return { ok: false, code: "UNAUTHENTICATED" };
  const client = clientInfo(request.headers, config.trustProxy);
  const refused = await mfaLimitRefusal("action", claims.uid, client);
  if (refused) return { ok: false, code: refused };

  if (!claims.challengeId) return { ok: true, userId: claims.uid, client, signInChallenge: null };

  const user = await getDb().user.findUnique({ where: { id: claims.uid }, select: { twoFactorEnabled: true } });
  if (!config.policy.require2fa || !user || user.twoFactorEnabled) return { ok: false, code: "MFA_REQUIRED" };
  const challenge = await findActiveChallenge(claims.challengeId, claims.uid);
  if (!challenge || challenge.purpose !== "sign-in") return { ok: false, code: "CHALLENGE_EXPIRED" };
  return { ok: true, userId: claims.uid, client, signInChallenge: challenge };
}
