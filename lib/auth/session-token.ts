/**
 * What the session token carries, and the only two ways it changes: at sign-in (from our authorize(),
 * never from the browser) and on upgrade (after the database confirms a verified second factor).
 *
 * The token is Auth.js's encrypted JWT in an HttpOnly, SameSite=Lax cookie (Secure in production).
 */
import type { JWT } from "next-auth/jwt";
import "next-auth/jwt";
import { z } from "zod";
import { consumeVerifiedChallenge } from "../mfa/challenge";

/**
 * How the current session was established:
 * - "password": the password alone (a user without 2FA, or one whose second factor is still pending);
 * - "mfa": the password and a second factor passed on this sign-in;
 * - "remembered": the password, on a browser remembered after an earlier second factor.
 */
export type Assurance = "password" | "mfa" | "remembered";

/**
 * How long a session lasts from sign-in, however active. The cookie is not re-issued as pages are used
 * (see proxy.ts), so this is the session's whole life; the JWT callback enforces it on top of the cookie's
 * own expiry, in case a client keeps asking /api/auth/session for fresh cookies.
 */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

declare module "next-auth" {
  interface User {
    /** The server-side session this sign-in started (lib/auth/sessions.ts). */
    sessionId?: string;
    assurance?: Assurance;
    sessionVersion?: number;
    pendingChallengeId?: string | null;
    pendingUntil?: number | null;
  }
  interface Session {
    user: { id: string; email: string };
    assurance: Assurance;
    /** True while a second factor is pending; the gate keeps such a session on /mfa. */
    mfaPending: boolean;
    /** ms since epoch: when the pending challenge expires. */
    pendingUntil: number | null;
    /** ms since epoch: when a second factor last passed in this session. */
    mfaAt: number | null;
    /** The user's session version at sign-in; compared with the database by getCurrentUser(). */
    sessionVersion: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** Names this session's row (lib/auth/sessions.ts); a token whose row ended is refused. */
    sid?: string;
    assurance?: Assurance;
    /** The user's session version at sign-in; a bump on the user ends this session. */
    sv?: number;
    /** The server-side MfaChallenge this session waits on. */
    challengeId?: string | null;
    pendingUntil?: number | null;
    /** seconds since epoch */
    authTime?: number;
    /** ms since epoch */
    mfaAt?: number | null;
  }
}

/** The claims of a fresh sign-in, from the user object our authorize() returned. */
export function claimsAtSignIn(
  user: {
    id?: string;
    email?: string | null;
    sessionId?: string;
    assurance?: Assurance;
    sessionVersion?: number;
    pendingChallengeId?: string | null;
    pendingUntil?: number | null;
  },
  nowSeconds: number,
): JWT {
  // Nothing of an earlier token carries over: a new sign-in is a new session.
  return {
    sub: user.id,
    email: user.email ?? undefined,
    uid: user.id,
    sid: user.sessionId,
    assurance: user.assurance ?? "password",
    sv: user.sessionVersion ?? 0,
    challengeId: user.pendingChallengeId ?? null,
    pendingUntil: user.pendingUntil ?? null,
    authTime: nowSeconds,
    mfaAt: null,
  };
}

/**
 * A session update (after a second factor passed, the route calls Auth.js's update). Nothing the browser
 * sends is copied into the token: a pending session consumes the challenge its own token names; a
 * signed-in session may name a step-up challenge, which counts only if the database says it belongs to
 * this user, passed, and is consumed by this very call. Only then is the claim raised.
 */
export async function claimsAfterUpdate(token: JWT, now: number, data?: unknown): Promise<JWT> {
  if (!token.uid) return token;
  if (token.challengeId) {
    const consumed = await consumeVerifiedChallenge(token.challengeId, token.uid, ["sign-in"], new Date(now));
    if (!consumed) return token;
    return { ...token, assurance: "mfa", challengeId: null, pendingUntil: null, mfaAt: consumed.verifiedAt?.getTime() ?? now };
  }
  const stepUp = stepUpUpdate.safeParse(data);
  if (!stepUp.success) return token;
  const consumed = await consumeVerifiedChallenge(stepUp.data.stepUpChallengeId, token.uid, ["step-up", "enroll"], new Date(now));
  if (!consumed) return token;
  return { ...token, mfaAt: consumed.verifiedAt?.getTime() ?? now };
}

const stepUpUpdate = z.object({ stepUpChallengeId: z.string().min(1).max(64) });

/** Ends sessions older than SESSION_MAX_AGE_SECONDS since sign-in, whatever their activity. */
export function isPastAbsoluteLifetime(token: JWT, nowSeconds: number): boolean {
  return typeof token.authTime !== "number" || nowSeconds - token.authTime > SESSION_MAX_AGE_SECONDS;
}
