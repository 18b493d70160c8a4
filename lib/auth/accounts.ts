/** Creating accounts and checking primary credentials: the domain behind sign-up and sign-in. */
import { recordAuthEvent } from "../audit/events";
import { getConfig } from "../config/env";
import { getDb, Prisma } from "../db/client";
import { fail, ok, type Result } from "../errors";
import type { ClientInfo } from "../http/client-info";
import { createChallenge } from "../mfa/challenge";
import { lockState } from "../mfa/lockout";
import { LIMITS } from "../rate-limit/limits";
import { getRateLimits } from "../rate-limit/limiter";
import { redeemRememberedBrowser } from "../trusted-browsers/store";
import { checkNewPassword, hashPassword, spendPasswordTime, verifyPassword, type PasswordRuleCode } from "./password";
import type { SignInInput, SignUpInput } from "./schemas";

export interface AccountSummary {
  id: string;
  email: string;
}

export async function createAccount(
  input: SignUpInput,
  client: ClientInfo,
): Promise<Result<AccountSummary, PasswordRuleCode | "EMAIL_TAKEN" | "RATE_LIMITED">> {
  if (!(await getRateLimits().consume(LIMITS.signUpPerIp, client.ip ?? "unknown")).allowed) return fail("RATE_LIMITED");
  const rules = checkNewPassword(input.password, { email: input.email, appName: getConfig().appName });
  if (!rules.ok) return rules;

  const passwordHash = await hashPassword(input.password);
  try {
    const user = await getDb().user.create({
      data: { email: input.email, passwordHash },
      select: { id: true, email: true },
    });
    await recordAuthEvent({ userId: user.id, type: "sign-up", result: "success", method: "password", client });
    return ok(user);
  } catch (error) {
    // The unique index on email decides between two concurrent sign-ups with one address.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return fail("EMAIL_TAKEN");
    throw error;
  }
}

/**
 * What a correct password leads to: a full session, a session remembered from an earlier second factor,
 * or one that waits for a second factor (the challenge).
 */
export interface PrimaryLogin {
  userId: string;
  email: string;
  sessionVersion: number;
  assurance: "password" | "remembered";
  pending: { challengeId: string; expiresAt: Date } | null;
  /** What to do with the browser's remembered-browser cookie. */
  rememberCookie: { action: "keep" } | { action: "clear" } | { action: "set"; token: string; expiresAt: Date };
}

export interface PrimaryLoginContext {
  client: ClientInfo;
  /** The remembered-browser token this browser sent, if any. */
  rememberToken: string | null;
}

export async function verifyPrimaryLogin(
  input: SignInInput,
  { client, rememberToken }: PrimaryLoginContext,
): Promise<Result<PrimaryLogin, "INVALID_CREDENTIALS" | "RATE_LIMITED" | "ACCOUNT_LOCKED" | "SERVICE_UNAVAILABLE">> {
  const limits = getRateLimits();
  const perIp = await limits.consume(LIMITS.signInPerIp, client.ip ?? "unknown");
  // Failures are counted per email whoever tries, so guessing one account's password is slow from anywhere.
  const limited = perIp.allowed ? await limits.peek(LIMITS.signInFailuresPerAccount, input.email) : perIp;
  if (!limited.allowed) {
    // The limits fail closed; a store that cannot answer is reported as such, not as "too many attempts".
    if (limited.storeFailed) return fail("SERVICE_UNAVAILABLE");
    await recordAuthEvent({ userId: null, type: "sign-in", result: "rate-limited", method: "password", client });
    return fail("RATE_LIMITED");
  }

  const user = await getDb().user.findUnique({
    where: { email: input.email },
    select: { id: true, email: true, passwordHash: true, twoFactorEnabled: true, sessionVersion: true },
  });
  let passwordOk = false;
  if (user) passwordOk = await verifyPassword(input.password, user.passwordHash);
  else await spendPasswordTime(input.password);
  if (!user || !passwordOk) {
    await limits.consume(LIMITS.signInFailuresPerAccount, input.email);
    await recordAuthEvent({ userId: user?.id ?? null, type: "sign-in", result: "failure", method: "password", client });
    return fail("INVALID_CREDENTIALS");
  }
  await limits.reset(LIMITS.signInFailuresPerAccount, input.email);

  const base = { userId: user.id, email: user.email, sessionVersion: user.sessionVersion };
  const { require2fa, rememberBrowserDays } = getConfig().policy;

  if (user.twoFactorEnabled) {
    if ((await lockState(user.id)).locked) {
      await recordAuthEvent({ userId: user.id, type: "sign-in", result: "locked", method: "password", client });
      return fail("ACCOUNT_LOCKED");
    }
    if (rememberToken && rememberBrowserDays > 0) {
      const remembered = await redeemRememberedBrowser(user.id, rememberToken, client);
      if (remembered.ok) {
        await recordAuthEvent({ userId: user.id, type: "sign-in", result: "success", method: "remembered", client });
        return ok({
          ...base,
          assurance: "remembered",
          pending: null,
          rememberCookie: { action: "set", token: remembered.token, expiresAt: remembered.expiresAt },
        });
      }
    }
  }

  // With 2FA on, or required by policy for everyone (then /mfa enrolls the user first).
  const needsSecondFactor = user.twoFactorEnabled || require2fa;
  const pending = needsSecondFactor ? await createChallenge(user.id, "sign-in") : null;
  await recordAuthEvent({ userId: user.id, type: "sign-in", result: "success", method: "password", client });
  return ok({
    ...base,
    assurance: "password",
    pending: pending ? { challengeId: pending.id, expiresAt: pending.expiresAt } : null,
    // A token that did not work for this user (another user's, expired, revoked, unknown) is dropped.
    rememberCookie: rememberToken && user.twoFactorEnabled ? { action: "clear" } : { action: "keep" },
  });
}
