/** What a passed challenge leads to, decided from the database (never from the request). */
import { getDb } from "../db/client";
import { markEnrollmentConfirmed } from "../enrollment/enrollment";
import type { MfaChallenge } from "./challenge";

export type AfterPass =
  /** A sign-in with 2FA on: upgrade the session. */
  | { kind: "sign-in" }
  /** A signed-in user confirmed it's them: raise the session's last-second-factor time. */
  | { kind: "step-up" }
  /** The new device passed its first authentication: backup codes come next. */
  | { kind: "enrollment-confirmed"; duringSignIn: boolean };

export async function afterPass(challenge: MfaChallenge): Promise<AfterPass> {
  if (challenge.purpose === "step-up") return { kind: "step-up" };
  if (challenge.purpose === "enroll") {
    await markEnrollmentConfirmed(challenge.userId);
    return { kind: "enrollment-confirmed", duringSignIn: false };
  }
  const user = await getDb().user.findUniqueOrThrow({ where: { id: challenge.userId }, select: { twoFactorEnabled: true } });
  // Trust on first use (REQUIRE_2FA): a user without 2FA enrolls inside the sign-in, and the session is
  // upgraded only once the enrollment is finished. A pass that was not an enrollment (Duo said allow)
  // signs in as usual.
  if (!user.twoFactorEnabled && (await markEnrollmentConfirmed(challenge.userId))) {
    return { kind: "enrollment-confirmed", duringSignIn: true };
  }
  return { kind: "sign-in" };
}
