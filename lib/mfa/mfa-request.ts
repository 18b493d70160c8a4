/**
 * What every second-factor route loads before it acts: the session's claims (decoded on the server), the
 * challenge it works on, the client, and the rate limits that apply. A route gets either all of it or
 * the error code to answer with.
 */
import type { NextRequest } from "next/server";
import { readSessionClaims } from "../auth/session-claims";
import { getConfig } from "../config/env";
import type { ErrorCode } from "../errors";
import { clientInfo, type ClientInfo } from "../http/client-info";
import { LIMITS } from "../rate-limit/limits";
import { getRateLimits } from "../rate-limit/limiter";
import { rememberCookieName } from "../trusted-browsers/cookie";
import { duoTokenForBrowser } from "../trusted-browsers/store";
import { challengeCookieName } from "./challenge-cookie";
import { currentChallenge } from "./current-challenge";
import type { SecondFactorContext } from "./second-factor";

/**
 * The per-account and per-address limits on the second-factor routes: null when within them, else the
 * refusal — RATE_LIMITED, or SERVICE_UNAVAILABLE when the limiter's store could not answer (refused all
 * the same: a limit that cannot count lets nothing through).
 */
export async function mfaLimitRefusal(kind: "action" | "status", userId: string, client: ClientInfo): Promise<"RATE_LIMITED" | "SERVICE_UNAVAILABLE" | null> {
  const limits = getRateLimits();
  const checks =
    kind === "status"
      ? [limits.consume(LIMITS.mfaStatusPerAccount, userId)]
      : [limits.consume(LIMITS.mfaActionsPerAccount, userId), limits.consume(LIMITS.mfaActionsPerIp, client.ip ?? "unknown")];
  const outcomes = await Promise.all(checks);
  if (outcomes.some((outcome) => !outcome.allowed && outcome.storeFailed)) return "SERVICE_UNAVAILABLE";
  return outcomes.every((outcome) => outcome.allowed) ? null : "RATE_LIMITED";
}

export type MfaRequest = { ok: true; context: SecondFactorContext; userId: string } | { ok: false; code: ErrorCode };

/** `action`: sends and code checks (tighter limits); `status`: waiting for an answer. */
export async function loadMfaRequest(request: NextRequest, kind: "action" | "status"): Promise<MfaRequest> {
  const config = getConfig();
  const claims = await readSessionClaims(request);
  const found = await currentChallenge(claims, request.cookies.get(challengeCookieName(config.isProduction))?.value ?? null);
  if (!found.ok) return { ok: false, code: found.code };
  const { challenge, userId } = found;
  const client = clientInfo(request.headers, config.trustProxy);

  const refused = await mfaLimitRefusal(kind, userId, client);
  if (refused) return { ok: false, code: refused };

  // Duo's remembered-device token, kept with this browser, is offered only for a sign-in: a step-up must
  // always ask for a fresh factor.
  const rememberToken = request.cookies.get(rememberCookieName(config.isProduction))?.value;
  const duoTrustedDeviceToken = challenge.purpose === "sign-in" && rememberToken ? await duoTokenForBrowser(userId, rememberToken) : null;
  return { ok: true, userId, context: { challenge, client, duoTrustedDeviceToken } };
}
