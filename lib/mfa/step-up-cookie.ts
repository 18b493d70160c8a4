/**
 * The step-up challenge of a signed-in session is named by an HttpOnly cookie (the session token cannot
 * be changed from a route without going through the update path, which ignores browser data). The
 * cookie holds only the challenge id; the database binds it to the user.
 */
import { CHALLENGE_TTL_SECONDS } from "./challenge";

export function stepUpCookieName(isProduction: boolean): string {
  return isProduction ? "__Host-step-up" : "step-up";
}

export function stepUpCookieOptions(isProduction: boolean, maxAgeSeconds: number = CHALLENGE_TTL_SECONDS) {
  return { httpOnly: true, sameSite: "strict" as const, secure: isProduction, path: "/", maxAge: maxAgeSeconds };
}
