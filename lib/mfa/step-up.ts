/**
 * Step-up: a signed-in user confirms it's them with a second factor before a sensitive change (turning
 * 2FA off, new backup codes, forgetting all browsers). A change needs a factor passed within the window.
 */
import { getDb } from "../db/client";
import { fail, ok, type Result } from "../errors";
import type { ClientInfo } from "../http/client-info";
import { createChallenge, findChallenge } from "./challenge";
import { openSecondFactor, type MfaView } from "./second-factor";

/** How recent a second factor must be for a sensitive change. */
export const STEP_UP_WINDOW_SECONDS = 10 * 60;

/** Whether a session's last second factor (ms since epoch, from its token) is recent enough. */
export function hasRecentSecondFactor(mfaAt: number | null | undefined, now = Date.now()): boolean {
  return typeof mfaAt === "number" && now - mfaAt <= STEP_UP_WINDOW_SECONDS * 1000 && mfaAt <= now;
}

export async function beginStepUp(userId: string, client: ClientInfo): Promise<Result<{ view: MfaView; challengeId: string }, "NOT_ENROLLED">> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { twoFactorEnabled: true } });
  if (!user?.twoFactorEnabled) return fail("NOT_ENROLLED");
  const created = await createChallenge(userId, "step-up");
  const challenge = await findChallenge(created.id, userId);
  if (!challenge) return fail("NOT_ENROLLED");
  return ok({ view: await openSecondFactor({ challenge, client, duoTrustedDeviceToken: null }), challengeId: created.id });
}
