/** Creating accounts and checking primary credentials: the domain behind sign-up and sign-in. */
import { recordAuthEvent } from "../audit/events";
import { getConfig } from "../config/env";
import { getDb, Prisma } from "../db/client";
import { fail, ok, type Result } from "../errors";
import type { ClientInfo } from "../http/client-info";
import { createChallenge } from "../mfa/challenge";
import { checkNewPassword, hashPassword, spendPasswordTime, verifyPassword, type PasswordRuleCode } from "./password";
import type { SignInInput, SignUpInput } from "./schemas";

export interface AccountSummary {
  id: string;
  email: string;
}

export async function createAccount(
  input: SignUpInput,
  client: ClientInfo,
): Promise<Result<AccountSummary, PasswordRuleCode | "EMAIL_TAKEN">> {
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

/** What a correct password leads to: a full session, or one that waits for a second factor. */
export interface PrimaryLogin {
  userId: string;
  email: string;
  sessionVersion: number;
  assurance: "password";
  pending: { challengeId: string; expiresAt: Date } | null;
}

export async function verifyPrimaryLogin(
  input: SignInInput,
  client: ClientInfo,
): Promise<Result<PrimaryLogin, "INVALID_CREDENTIALS">> {
  const user = await getDb().user.findUnique({
    where: { email: input.email },
    select: { id: true, email: true, passwordHash: true, twoFactorEnabled: true, sessionVersion: true },
  });
  if (!user) {
    await spendPasswordTime(input.password);
    await recordAuthEvent({ userId: null, type: "sign-in", result: "failure", method: "password", client });
    return fail("INVALID_CREDENTIALS");
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    await recordAuthEvent({ userId: user.id, type: "sign-in", result: "failure", method: "password", client });
    return fail("INVALID_CREDENTIALS");
  }

  const pending = user.twoFactorEnabled ? await createChallenge(user.id, "sign-in") : null;
  await recordAuthEvent({ userId: user.id, type: "sign-in", result: "success", method: "password", client });
  return ok({
    userId: user.id,
    email: user.email,
    sessionVersion: user.sessionVersion,
    assurance: "password",
    pending: pending ? { challengeId: pending.id, expiresAt: pending.expiresAt } : null,
  });
}
