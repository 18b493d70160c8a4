/**
 * Backup codes at the second-factor step: a right code passes the challenge once; wrong codes are capped
 * per challenge (5, then the challenge ends) and count towards the account lockout.
 */
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import { issueBackupCodes } from "../backup-codes/store";
import { createChallenge, findChallenge, MAX_CODE_ATTEMPTS_PER_CHALLENGE, type MfaChallenge } from "./challenge";
import { verifyBackupCode } from "./backup-code-factor";
import { lockState, MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES } from "./lockout";

const db = withTestDatabase();
const client = { ip: "203.0.113.9", userAgent: "vitest" };
const WRONG = "2222-2222-2222-2222";
let counter = 0;

async function setup(): Promise<{ challenge: MfaChallenge; codes: string[]; userId: string }> {
  const user = await db.client.user.create({ data: { email: `bcf${++counter}@example.com`, passwordHash: "x", twoFactorEnabled: true } });
  const codes = await issueBackupCodes(user.id);
  const { id } = await createChallenge(user.id, "sign-in");
  const challenge = await findChallenge(id, user.id);
  if (!challenge) throw new Error("no challenge");
  return { challenge, codes, userId: user.id };
}

describe("backup code at the second-factor step", () => {
  it("passes the challenge with a right code, and records the event", async () => {
    const { challenge, codes, userId } = await setup();
    expect(await verifyBackupCode(challenge, codes[0] ?? "", client)).toEqual({ ok: true });
    expect((await findChallenge(challenge.id, userId))?.verifiedMethod).toBe("backup-code");
    expect(await db.client.authEvent.count({ where: { userId, type: "second-factor", method: "backup-code", result: "success" } })).toBe(1);
  });

  it(`ends the challenge after ${MAX_CODE_ATTEMPTS_PER_CHALLENGE} wrong codes; a right code then no longer works`, async () => {
    const { challenge, codes } = await setup();
    for (let i = 1; i < MAX_CODE_ATTEMPTS_PER_CHALLENGE; i++) {
      expect(await verifyBackupCode(challenge, WRONG, client)).toEqual({ ok: false, code: "CODE_INVALID", attemptsLeft: MAX_CODE_ATTEMPTS_PER_CHALLENGE - i });
    }
    expect(await verifyBackupCode(challenge, WRONG, client)).toEqual({ ok: false, code: "ATTEMPTS_EXHAUSTED", attemptsLeft: 0 });
    expect(await verifyBackupCode(challenge, codes[0] ?? "", client)).toMatchObject({ ok: false, code: "ATTEMPTS_EXHAUSTED" });
  });

  it("checks at most the cap of 20 concurrent guesses", async () => {
    const { challenge, userId } = await setup();
    await Promise.all(Array.from({ length: 20 }, () => verifyBackupCode(challenge, WRONG, client)));
    expect(await db.client.authEvent.count({ where: { userId, method: "backup-code", result: "failure" } })).toBe(MAX_CODE_ATTEMPTS_PER_CHALLENGE);
  });

  it("locks the account after 10 consecutive failures across challenges", async () => {
    const { userId } = await setup();
    let last;
    for (let i = 0; i < MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES; i++) {
      const { id } = await createChallenge(userId, "sign-in");
      const challenge = await findChallenge(id, userId);
      if (!challenge) throw new Error("no challenge");
      last = await verifyBackupCode(challenge, WRONG, client);
    }
    expect(last).toEqual({ ok: false, code: "ACCOUNT_LOCKED", attemptsLeft: 0 });
    expect((await lockState(userId)).locked).toBe(true);
  });

  it("is refused on an expired challenge without spending the code", async () => {
    const { challenge, codes, userId } = await setup();
    await db.client.mfaChallenge.update({ where: { id: challenge.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await verifyBackupCode(challenge, codes[0] ?? "", client)).toMatchObject({ ok: false, code: "CHALLENGE_EXPIRED" });
    expect(await db.client.backupCode.count({ where: { userId, usedAt: null } })).toBe(10);
  });
});
