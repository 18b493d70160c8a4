/**
 * The session token's claims as a route handler reads them: decoded from the request's cookie on the
 * server (the browser never sees them; its /api/auth/session view leaves out the challenge id).
 */
import { getToken, type JWT } from "next-auth/jwt";
import { getConfig } from "../config/env";
import { isPastAbsoluteLifetime } from "./session-token";

export async function readSessionClaims(request: Request): Promise<JWT | null> {
  const config = getConfig();
  const claims = await getToken({ req: request, secret: config.authSecret, secureCookie: config.isProduction });
  if (!claims?.uid || isPastAbsoluteLifetime(claims, Math.floor(Date.now() / 1000))) return null;
  return claims;
}
