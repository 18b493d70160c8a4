/**
 * Changing the password: the current one must be right (and, with 2FA on, a second factor recent —
 * checked at the edge). The change ends every session of the user (the session version moves on) and
 * forgets every remembered browser: whoever had the old password must not keep a way in.
 */
import { recordAuthEvent } from "../audit/events";
import { checkNewPassword, hashPassword, verifyPassword, type PasswordRuleCode } from "../auth/password";
import { endSessions } from "../auth/sessions";
import { getConfig } from "../config/env";
import { getDb } from "../db/client";
import { fail, ok, type Result } from "../errors";
import type { ClientInfo } from "../http/client-info";
import { LIMITS } from "../rate-limit/limits";
import { getRateLimits } from "../rate-limit/limiter";
import { revokeAllRememberedBrowsers } from "../trusted-browsers/store";

export type PasswordChangeFailure = PasswordRuleCode | "CURRENT_PASSWORD_WRONG" | "PASSWORD_UNCHANGED" | "RATE_LIMITED";

export async function changePassword(
  userId: string,
  input: { currentPassword: string; newPassword: string },
  client: ClientInfo,
): Promise<Result<void, PasswordChangeFailure>> {
  if (!(await getRateLimits().consume(LIMITS.passwordChangesPerAccount, userId)).allowed) return fail("RATE_LIMITED");
  const db = getDb();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, passwordHash: true } });
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await recordAuthEvent({ userId, type: "password-changed", result: "failure", method: "password", client });
    return fail("CURRENT_PASSWORD_WRONG");
  }
  if (input.newPassword === input.currentPassword) return fail("PASSWORD_UNCHANGED");
  const rules = checkNewPassword(input.newPassword, { email: user.email, appName: getConfig().appName });
  if (!rules.ok) return rules;

  const passwordHash = await hashPassword(input.newPassword);
  // Conditional on the hash checked above: two concurrent changes cannot both win with the old password.
  const { count } = await db.user.updateMany({
    where: { id: userId, passwordHash: user.passwordHash },
    data: { passwordHash, sessionVersion: { increment: 1 } },
  });
  if (count !== 1) return fail("CURRENT_PASSWORD_WRONG");
  await revokeAllRememberedBrowsers(userId);
  await endSessions(userId, null);
  await recordAuthEvent({ userId, type: "password-changed", result: "success", method: "password", client });
  return ok(undefined);
}
