/** The gate's decisions, one row per case: page or API, signed out, second factor pending, or complete. */
import { describe, expect, it } from "vitest";
import { decideGate, type GateDecision, type GateSession } from "./gate";

const NOW = 1_800_000_000_000;
const NONE: GateSession = { state: "none" };
const PENDING: GateSession = { state: "pending", pendingUntil: NOW + 60_000 };
const EXPIRED: GateSession = { state: "pending", pendingUntil: NOW - 1 };
const FULL: GateSession = { state: "full" };

const next: GateDecision = { action: "next" };
const redirect = (location: string): GateDecision => ({ action: "redirect", location });
const unauthenticated: GateDecision = { action: "deny", status: 401, code: "UNAUTHENTICATED" };
const mfaRequired: GateDecision = { action: "deny", status: 401, code: "MFA_REQUIRED" };

const rows: Array<[string, string, GateSession, GateDecision]> = [
  // Protected pages
  ["/account", "", NONE, redirect("/sign-in?callbackUrl=%2Faccount")],
  ["/account", "?tab=x", NONE, redirect("/sign-in?callbackUrl=%2Faccount%3Ftab%3Dx")],
  ["/", "", NONE, redirect("/sign-in")],
  ["/account", "", PENDING, redirect("/mfa?callbackUrl=%2Faccount")],
  ["/account", "", EXPIRED, redirect("/sign-in?callbackUrl=%2Faccount")],
  ["/account", "", FULL, next],
  // Protected API routes
  ["/api/account", "", NONE, unauthenticated],
  ["/api/account", "", PENDING, mfaRequired],
  ["/api/account", "", EXPIRED, unauthenticated],
  ["/api/account", "", FULL, next],
  ["/api", "", NONE, unauthenticated],
  // Public routes
  ["/sign-in", "", NONE, next],
  ["/sign-up", "", NONE, next],
  ["/api/auth/session", "", NONE, next],
  ["/api/auth/callback/credentials", "", PENDING, next],
  ["/api/health", "", NONE, next],
  ["/api/sign-up", "", NONE, next],
  // Signed-in users have no business on the sign-in pages
  ["/sign-in", "?callbackUrl=%2Faccount", FULL, redirect("/account")],
  ["/sign-in", "?callbackUrl=https%3A%2F%2Fevil.example", FULL, redirect("/")],
  ["/sign-in", "", PENDING, redirect("/mfa")],
  ["/sign-up", "", FULL, redirect("/")],
  // …unless the server ended that session (password changed): the sign-in page clears its cookie.
  ["/sign-in", "?reason=session-ended", FULL, next],
  // The second-factor step
  ["/mfa", "", PENDING, next],
  ["/mfa", "?callbackUrl=%2Faccount", NONE, redirect("/sign-in?callbackUrl=%2Faccount")],
  ["/mfa", "?callbackUrl=%2Faccount", FULL, redirect("/account")],
  ["/mfa", "?callbackUrl=%2F%2Fevil.example", FULL, redirect("/")],
  ["/mfa", "", EXPIRED, redirect("/sign-in")],
  ["/api/mfa/status", "", PENDING, next],
  ["/api/mfa/status", "", NONE, unauthenticated],
  ["/api/mfa/status", "", EXPIRED, unauthenticated],
  // Look-alikes of public paths are not public
  ["/sign-in-help", "", NONE, redirect("/sign-in?callbackUrl=%2Fsign-in-help")],
  ["/api/authx", "", NONE, unauthenticated],
  ["/api/health/details", "", NONE, unauthenticated],
  // …and the step itself is never a destination to come back to.
  ["/mfa/other", "", PENDING, redirect("/mfa")],
];

describe("gate", () => {
  it.each(rows)("%s%s with %o", (pathname, search, session, expected) => {
    expect(decideGate({ pathname, search, session, now: NOW })).toEqual(expected);
  });
});
