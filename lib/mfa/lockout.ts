/**
 * Account lockout for the second factor: after MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES failures in a row
 * (wrong passcodes and backup codes, denied pushes and calls), across challenges, the account's second
 * factor is locked for LOCKOUT_SECONDS. A success resets the count.
 */
import { getDb } from "../db/client";

export const MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES = 10;
export const LOCKOUT_SECONDS = 15 * 60;

export interface LockState {
  locked: boolean;
  until: Date | null;
}

export async function lockState(userId: string, now = new Date()): Promise<LockState> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { lockedUntil: true } });
  const until = user?.lockedUntil ?? null;
  return { locked: until !== null && until > now, until };
}

/**
 * Counts one failure and locks the account when it reaches the limit; returns whether the account is
 * now locked. The increment is done by the database (not read-modify-write), so concurrent failures are
 * all counted; the lock is set by a conditional update that only the request reaching the limit passes.
 */
export async function recordSecondFactorFailure(userId: string, now = new Date()): Promise<boolean> {
  const db = getDb();
  const { secondFactorFailures } = await db.user.update({
    where: { id: userId },
    data: { secondFactorFailures: { increment: 1 } },
    select: { secondFactorFailures: true },
  });
  if (secondFactorFailures < MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES) return false;
  await db.user.updateMany({
    where: { id: userId, secondFactorFailures: { gte: MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES } },
    data: { lockedUntil: new Date(now.getTime() + LOCKOUT_SECONDS * 1000), secondFactorFailures: 0 },
  });
  return true;
}

export async function resetSecondFactorFailures(userId: string): Promise<void> {
  await getDb().user.updateMany({ where: { id: userId, secondFactorFailures: { gt: 0 } }, data: { secondFactorFailures: 0 } });
}
