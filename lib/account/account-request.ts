/**
 * What an account route loads: a complete, current session (no second factor pending, session version
 * unchanged) and, for sensitive changes, a second factor passed within the step-up window.
 */
import type { NextRequest } from "next/server";
import { readSessionClaims } from "../auth/session-claims";
import { getConfig } from "../config/env";
import { getDb } from "../db/client";
import type { ErrorCode } from "../errors";
import { clientInfo, type ClientInfo } from "../http/client-info";
import { hasRecentSecondFactor } from "../mfa/step-up";

/** `sid`: the token's session id, for changes that spare this session. */
export type AccountRequest = { ok: true; userId: string; sid: string | null; client: ClientInfo } | { ok: false; code: ErrorCode };

/** `stepUp`: always, never, or only for a user with 2FA on (who has a second factor to step up with). */
export async function loadAccountRequest(request: NextRequest, options: { stepUp: boolean | "if-enrolled" }): Promise<AccountRequest> {
  const claims = await readSessionClaims(request);
  if (!claims?.uid) return { ok: false, code: "UNAUTHENTICATED" };
  if (claims.challengeId) return { ok: false, code: "MFA_REQUIRED" };
  const user = await getDb().user.findUnique({ where: { id: claims.uid }, select: { sessionVersion: true, twoFactorEnabled: true } });
  if (!user || user.sessionVersion !== (claims.sv ?? 0)) return { ok: false, code: "UNAUTHENTICATED" };
  const stepUp = options.stepUp === "if-enrolled" ? user.twoFactorEnabled : options.stepUp;
  if (stepUp && !hasRecentSecondFactor(claims.mfaAt)) return { ok: false, code: "STEP_UP_REQUIRED" };
  return { ok: true, userId: claims.uid, sid: claims.sid ?? null, client: clientInfo(request.headers, getConfig().trustProxy) };
}
