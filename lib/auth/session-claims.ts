/**
 * The session token's claims as the server reads them: decoded from the request's cookie (the browser
 * never sees them; its /api/auth/session view leaves out the challenge and session ids), and honoured only
 * while the session is live — within its absolute lifetime, and its server-side row neither ended nor idle
 * (lib/auth/sessions.ts). Every route loader and page reads the session through here.
 */
import { getToken, type JWT } from "next-auth/jwt";
import { getConfig } from "../config/env";
import { isPastAbsoluteLifetime } from "./session-token";
import { checkSession } from "./sessions";

export type SessionClaimsLookup = { state: "live"; claims: JWT } | { state: "none" } | { state: "ended" };

export async function lookUpSessionClaims(source: { headers: Headers }): Promise<SessionClaimsLookup> {
  const config = getConfig();
  const claims = await getToken({ req: source, secret: config.authSecret, secureCookie: config.isProduction });
  if (!claims?.uid) return { state: "none" };
  if (isPastAbsoluteLifetime(claims, Math.floor(Date.now() / 1000))) return { state: "ended" };
  if ((await checkSession(claims.sid, claims.uid)) === "ended") return { state: "ended" };
  return { state: "live", claims };
}

export async function readSessionClaims(source: { headers: Headers }): Promise<JWT | null> {
  const found = await lookUpSessionClaims(source);
  return found.state === "live" ? found.claims : null;
}
