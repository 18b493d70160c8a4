/**
 * A signed-in session's step-up or enrollment challenge is named by an HttpOnly cookie (a pending sign-in
 * names its challenge in the session token instead). The cookie holds only the challenge id; the database
 * binds it to the user, and lib/mfa/current-challenge.ts checks both.
 */
import { CHALLENGE_TTL_SECONDS } from "./challenge";

export function challengeCookieName(isProduction: boolean): string {
  return isProduction ? "__Host-mfa-challenge" : "mfa-challenge";
}

export function challengeCookieOptions(isProduction: boolean, maxAgeSeconds: number = CHALLENGE_TTL_SECONDS) {
  return { httpOnly: true, sameSite: "strict" as const, secure: isProduction, path: "/", maxAge: maxAgeSeconds };
}
