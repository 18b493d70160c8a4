/**
 * Before anything is required, the new device proves itself with one real authentication (a push or a
 * passcode) — on a challenge of its own ("enroll") for a signed-in user, or on the pending sign-in
 * challenge for a user enrolling inside the sign-in.
 */
import { getDb } from "../db/client";
import { fail, ok, type Result } from "../errors";
import type { ClientInfo } from "../http/client-info";
import { createChallenge, findChallenge, type MfaChallenge } from "../mfa/challenge";
import { openSecondFactor, type MfaView } from "../mfa/second-factor";

export async function beginConfirmation(
  userId: string,
  client: ClientInfo,
  signInChallenge: MfaChallenge | null,
): Promise<Result<{ view: MfaView; newChallengeId: string | null }, "FORBIDDEN">> {
  const activated = await getDb().duoEnrollment.findFirst({ where: { userId, status: "activated" }, orderBy: { createdAt: "desc" } });
  if (!activated) return fail("FORBIDDEN");
  let challenge = signInChallenge;
  let newChallengeId: string | null = null;
  if (!challenge) {
    const created = await createChallenge(userId, "enroll");
    newChallengeId = created.id;
    challenge = await findChallenge(created.id, userId);
  }
  if (!challenge) return fail("FORBIDDEN");
  return ok({ view: await openSecondFactor({ challenge, client, duoTrustedDeviceToken: null }), newChallengeId });
}
