/**
 * The signed-in user, as pages load it: the session must be complete (no second factor pending) and still
 * current (the user's session version has not moved on since sign-in — a password change ends every
 * session).
 */
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "../db/client";
import { SESSION_ENDED_REASON } from "./gate";
import { lookUpSessionClaims } from "./session-claims";
import type { Assurance } from "./session-token";

export { SESSION_ENDED_REASON };

export interface CurrentUser {
  id: string;
  email: string;
  twoFactorEnabled: boolean;
  assurance: Assurance;
  /** ms since epoch: the last second factor passed in this session, if any. */
  mfaAt: number | null;
  /** The token's session id, for the server's own use (never sent to the browser). */
  sid: string | null;
}

export type CurrentUserLookup = { state: "signed-in"; user: CurrentUser } | { state: "none" } | { state: "ended" };

export async function lookUpCurrentUser(): Promise<CurrentUserLookup> {
  const found = await lookUpSessionClaims({ headers: await headers() });
  if (found.state !== "live") return found;
  const { claims } = found;
  if (!claims.uid || claims.challengeId) return { state: "none" };
  const user = await getDb().user.findUnique({
    where: { id: claims.uid },
    select: { id: true, email: true, twoFactorEnabled: true, sessionVersion: true },
  });
  if (!user || user.sessionVersion !== (claims.sv ?? 0)) return { state: "ended" };
  return {
    state: "signed-in",
    user: {
      id: user.id,
      email: user.email,
      twoFactorEnabled: user.twoFactorEnabled,
      assurance: claims.assurance ?? "password",
      mfaAt: claims.mfaAt ?? null,
      sid: claims.sid ?? null,
    },
  };
}

/**
 * The current user, or a redirect to sign-in: back to `path` afterwards, or — for a session that has been
 * ended — to the sign-in page that clears it (the gate would otherwise bounce a still-valid cookie home).
 */
export async function requireCurrentUser(path: string): Promise<CurrentUser> {
  const found = await lookUpCurrentUser();
  if (found.state === "signed-in") return found.user;
  if (found.state === "ended") redirect(`/sign-in?reason=${SESSION_ENDED_REASON}`);
  redirect(path === "/" ? "/sign-in" : `/sign-in?${new URLSearchParams({ callbackUrl: path })}`);
}
