/**
 * The gate's decisions, as a pure function of the path and the session, so that every case is a row in a
 * table test. proxy.ts applies them; it treats any error as "signed out".
 */
import { safeCallbackUrl } from "./callback-url";

/** lib/auth/current-user.ts sends a session the server has ended to /sign-in?reason=session-ended. */
export const SESSION_ENDED_REASON = "session-ended";

export type GateSession =
  | { state: "none" }
  /** Password passed; a second factor is pending until `pendingUntil` (ms since epoch). */
  | { state: "pending"; pendingUntil: number }
  | { state: "full" };

export type GateDecision =
  | { action: "next" }
  | { action: "redirect"; location: string }
  | { action: "deny"; status: 401; code: "UNAUTHENTICATED" | "MFA_REQUIRED" };

/** Paths anyone may reach. */
const PUBLIC_PATHS = [/^\/sign-in$/, /^\/sign-up$/, /^\/api\/auth(\/|$)/, /^\/api\/health$/, /^\/api\/sign-up$/];
/** Paths a signed-in user has no use for: they go home instead. */
const SIGNED_OUT_ONLY = [/^\/sign-in$/, /^\/sign-up$/];
/** The only paths a session with a pending second factor may reach (besides the public ones). */
const PENDING_PATHS = [/^\/mfa$/, /^\/api\/mfa(\/|$)/];

const matches = (pathname: string, patterns: RegExp[]) => patterns.some((pattern) => pattern.test(pathname));

export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

export function decideGate(input: {
  pathname: string;
  search: string;
  session: GateSession;
  now: number;
}): GateDecision {
  const { pathname, search, now } = input;
  // A pending session past its challenge's expiry is as good as none.
  const session: GateSession =
    input.session.state === "pending" && input.session.pendingUntil <= now ? { state: "none" } : input.session;
  const here = `${pathname}${search}`;

  if (matches(pathname, SIGNED_OUT_ONLY)) {
    // A session the server has ended (password changed) still has a valid cookie; the sign-in page clears it.
    const ended = new URLSearchParams(search).get("reason") === SESSION_ENDED_REASON;
    if (session.state === "full" && !ended) return { action: "redirect", location: safeCallbackUrl(callbackParam(search)) };
    if (session.state === "pending") return { action: "redirect", location: withCallback("/mfa", callbackParam(search)) };
    return { action: "next" };
  }
  if (matches(pathname, PUBLIC_PATHS)) return { action: "next" };

  if (matches(pathname, PENDING_PATHS)) {
    if (session.state === "pending") return { action: "next" };
    if (isApiPath(pathname)) {
      // A full session has nothing to do on the sign-in step's routes; none must sign in first.
      return session.state === "full" ? { action: "next" } : { action: "deny", status: 401, code: "UNAUTHENTICATED" };
    }
    if (session.state === "full") return { action: "redirect", location: safeCallbackUrl(callbackParam(search)) };
    return { action: "redirect", location: withCallback("/sign-in", callbackParam(search)) };
  }

  if (session.state === "full") return { action: "next" };
  if (isApiPath(pathname)) {
    return { action: "deny", status: 401, code: session.state === "pending" ? "MFA_REQUIRED" : "UNAUTHENTICATED" };
  }
  return { action: "redirect", location: withCallback(session.state === "pending" ? "/mfa" : "/sign-in", here) };
}

function callbackParam(search: string): string | null {
  return new URLSearchParams(search).get("callbackUrl");
}

function withCallback(path: string, callback: string | null): string {
  const safe = safeCallbackUrl(callback);
  return safe === "/" ? path : `${path}?${new URLSearchParams({ callbackUrl: safe })}`;
}
