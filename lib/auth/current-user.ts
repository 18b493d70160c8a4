/**
 * The signed-in user, as pages and route handlers load it: the session must be complete (no second
 * factor pending) and still current (the user's session version has not moved on since sign-in).
 */
import { getDb } from "../db/client";
import { auth } from "./next-auth";
import type { Assurance } from "./session-token";

export interface CurrentUser {
  id: string;
  email: string;
  twoFactorEnabled: boolean;
  assurance: Assurance;
  /** ms since epoch: the last second factor passed in this session, if any. */
  mfaAt: number | null;
}

export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await auth();
  if (!session?.user?.id || session.mfaPending) return null;
  const user = await getDb().user.findUnique({
    where: { id: session.user.id },
    select: { id: true, email: true, twoFactorEnabled: true, sessionVersion: true },
  });
  if (!user || user.sessionVersion !== session.sessionVersion) return null;
  return {
    id: user.id,
    email: user.email,
    twoFactorEnabled: user.twoFactorEnabled,
    assurance: session.assurance,
    mfaAt: session.mfaAt,
  };
}
