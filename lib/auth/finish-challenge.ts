/**
 * The edge's last step after a second factor passed: upgrade the session through Auth.js's update (the
 * JWT callback re-reads and consumes the challenge in the database) and, if the user asked, remember this
 * browser. Used by every route that can pass a challenge.
 */
import { cookies } from "next/headers";
import type { NextResponse } from "next/server";
import { jsonError, jsonOk } from "../http/response";
import type { PassedResponse } from "../mfa/api";
import { recordAuthEvent } from "../audit/events";
import { getConfig } from "../config/env";
import type { ClientInfo } from "../http/client-info";
import { afterPass } from "../mfa/after-pass";
import { findChallenge, type MfaChallenge } from "../mfa/challenge";
import { challengeCookieName, challengeCookieOptions } from "../mfa/challenge-cookie";
import { rememberCookie } from "../trusted-browsers/cookie";
import { rememberBrowser } from "../trusted-browsers/store";
import { unstable_update } from "./next-auth";

export type Finished =
  /** The session is upgraded (sign-in) or its last-second-factor time raised (step-up). */
  | { next: "done" }
  /** The new device is confirmed; the enrollment's backup codes come next. */
  | { next: "backup-codes" }
  /** The upgrade did not take (the challenge was consumed or ended meanwhile). */
  | { next: "failed" };

export async function finishPassedChallenge(challenge: MfaChallenge, client: ClientInfo): Promise<Finished> {
  const config = getConfig();
  const outcome = await afterPass(challenge);

  if (outcome.kind === "sign-in") return upgradePendingSession(challenge, client);
  if (outcome.kind === "enrollment-confirmed" && outcome.duringSignIn) return { next: "backup-codes" };

  // Step-up or enrollment of a signed-in session: the update names the challenge; the JWT callback
  // checks it in the database before raising anything.
  const session = await unstable_update({ stepUpChallengeId: challenge.id } as Record<string, unknown>);
  const jar = await cookies();
  jar.set(challengeCookieName(config.isProduction), "", challengeCookieOptions(config.isProduction, 0));
  if (!session) return { next: "failed" };
  return { next: outcome.kind === "enrollment-confirmed" ? "backup-codes" : "done" };
}

/** Upgrades a pending sign-in whose challenge passed, then remembers the browser if the user asked. */
export async function upgradePendingSession(challenge: MfaChallenge, client: ClientInfo): Promise<Finished> {
  const config = getConfig();
  const session = await unstable_update({});
  if (!session || session.mfaPending) return { next: "failed" };

  const current = (await findChallenge(challenge.id, challenge.userId)) ?? challenge;
  const days = config.policy.rememberBrowserDays;
  if (current.rememberBrowser && days > 0) {
    const remembered = await rememberBrowser(challenge.userId, client, days, current.duoTrustedDeviceToken);
    const { name, options } = rememberCookie(config.isProduction, remembered.expiresAt);
    (await cookies()).set(name, remembered.token, options);
    await recordAuthEvent({ userId: challenge.userId, type: "remembered-browser", result: "success", client });
  }
  return { next: "done" };
}

/** The route's answer once a challenge has passed: complete it, or say why it could not be. */
export async function respondPassed(challenge: MfaChallenge, client: ClientInfo): Promise<NextResponse> {
  const finished = await finishPassedChallenge(challenge, client);
  if (finished.next === "failed") return jsonError("CHALLENGE_EXPIRED");
  return jsonOk({ status: "passed", next: finished.next } satisfies PassedResponse);
}
