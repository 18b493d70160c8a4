/**
 * One backup code, submitted at the same moment by 50 pending sign-ins of the same account (each from its
 * own client address, so per-address limits do not decide the result): exactly one sign-in completes, the
 * code is spent once, and one success is recorded. Runs on whichever database the e2e run uses.
 *
 * The others cannot all be answered CODE_INVALID: the account's second-factor limits act first, as they
 * should (LIMITS.mfaActionsPerAccount lets 30 checks per 10 minutes through, and
 * MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES locks the account after 10 wrong codes in a row). Each refusal
 * is one of those three answers, and never a success.
 */
import { MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES } from "../lib/mfa/lockout";
import { LIMITS } from "../lib/rate-limit/limits";
import { newEmail, newPassword } from "./support/accounts";
import { passwordSession, signUpOverHttp, type HttpSession } from "./support/http-session";
import { E2E_BASE_URL } from "./support/settings";
import { expect, test } from "./support/test";

const CONCURRENT_SIGN_INS = 50;
/** Sign-ins hash the password (bcrypt); a few at a time keep the two cores from timing out the setup. */
const SIGN_IN_BATCH = 5;
const REFUSALS = new Set(["CODE_INVALID", "RATE_LIMITED", "ACCOUNT_LOCKED"]);

test(`exactly one of ${CONCURRENT_SIGN_INS} simultaneous uses of one backup code signs in`, async ({ db, duo }) => {
  test.setTimeout(120_000);
  const email = newEmail("double-spend");
  const password = newPassword();
  await signUpOverHttp(E2E_BASE_URL, email, password);
  const { backupCodes } = await duo.giveTwoFactor(email);
  const { id: userId } = await db.user.findUniqueOrThrow({ where: { email } });
  const code = backupCodes[0] ?? "";

  const sessions: HttpSession[] = [];
  while (sessions.length < CONCURRENT_SIGN_INS) {
    const batch = Math.min(SIGN_IN_BATCH, CONCURRENT_SIGN_INS - sessions.length);
    sessions.push(...(await Promise.all(Array.from({ length: batch }, () => passwordSession(E2E_BASE_URL, email, password)))));
  }
  expect(new Set(sessions.map((session) => session.ip)).size).toBe(CONCURRENT_SIGN_INS);
  expect(await db.mfaChallenge.count({ where: { userId, purpose: "sign-in", consumedAt: null } })).toBe(CONCURRENT_SIGN_INS);

  const answers = await Promise.all(sessions.map((session) => session.postJson("/api/mfa/verify", { method: "backup-code", code })));

  const passed = answers.filter((answer) => answer.status === 200 && answer.body.status === "passed");
  const refused = answers.filter((answer) => answer !== passed[0]);
  const summary = JSON.stringify(answers.map((answer) => `${answer.status} ${answer.body.error?.code ?? answer.body.status}`));
  expect(passed, summary).toHaveLength(1);
  for (const answer of refused) {
    expect(answer.status, summary).toBeGreaterThanOrEqual(400);
    expect(answer.status, summary).toBeLessThan(500);
    expect(REFUSALS.has(answer.body.error?.code ?? ""), summary).toBe(true);
  }
  const invalid = refused.filter((answer) => answer.body.error?.code === "CODE_INVALID").length;
  expect(invalid, summary).toBeGreaterThanOrEqual(1);
  // Every check the per-account limit let through either passed or was refused on its merits.
  const limited = refused.filter((answer) => answer.body.error?.code === "RATE_LIMITED").length;
  expect(limited, summary).toBe(CONCURRENT_SIGN_INS - LIMITS.mfaActionsPerAccount.points);
  expect(invalid, summary).toBeGreaterThanOrEqual(MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES - 1);

  expect(await db.backupCode.count({ where: { userId, usedAt: { not: null } } })).toBe(1);
  expect(await db.authEvent.count({ where: { userId, type: "second-factor", result: "success" } })).toBe(1);
  expect(await db.authEvent.count({ where: { userId, result: "success", method: "backup-code" } })).toBe(1);
  expect(await db.mfaChallenge.count({ where: { userId, purpose: "sign-in", verifiedAt: { not: null } } })).toBe(1);

  const signedIn = await Promise.all(
    sessions.map(async (session) => ((await (await session.send("/api/auth/session")).json()) as { mfaPending?: boolean } | null)?.mfaPending === false),
  );
  expect(signedIn.filter(Boolean)).toHaveLength(1);
});
