/** Per-challenge caps hold under concurrency: code checks, pushes, calls and SMS batches. */
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import {
  createChallenge,
  endChallenge,
  endIfAttemptsSpent,
  findOpenChallenge,
  markVerified,
  MAX_CODE_ATTEMPTS_PER_CHALLENGE,
  MAX_PUSHES_PER_CHALLENGE,
  recordTransaction,
  reserveCodeAttempt,
  reserveSend,
} from "./challenge";

const db = withTestDatabase();
let counter = 0;
async function newChallenge() {
  const user = await db.client.user.create({ data: { email: `cap${++counter}@example.com`, passwordHash: "x" } });
  return { userId: user.id, ...(await createChallenge(user.id, "sign-in")) };
}

describe("per-challenge caps", () => {
  it(`let at most ${MAX_CODE_ATTEMPTS_PER_CHALLENGE} of 30 concurrent code checks run`, async () => {
    const { id } = await newChallenge();
    const reserved = await Promise.all(Array.from({ length: 30 }, () => reserveCodeAttempt(id)));
    expect(reserved.filter(Boolean)).toHaveLength(MAX_CODE_ATTEMPTS_PER_CHALLENGE);
    expect(await endIfAttemptsSpent(id)).toBe(true);
    expect(await endIfAttemptsSpent(id)).toBe(false);
  });

  it("end the challenge when its checks are spent: nothing more can be reserved or passed", async () => {
    const { id, userId } = await newChallenge();
    for (let i = 0; i < MAX_CODE_ATTEMPTS_PER_CHALLENGE; i++) expect(await reserveCodeAttempt(id)).toBe(true);
    await endIfAttemptsSpent(id);
    expect(await findOpenChallenge(id, userId)).toBeNull();
    expect(await reserveSend(id, "push")).toBe(false);
    expect(await markVerified(id, { method: "passcode", device: null })).toBe(false);
  });

  it(`cap pushes at ${MAX_PUSHES_PER_CHALLENGE}, whatever the burst of "send again"`, async () => {
    const { id } = await newChallenge();
    const sent = await Promise.all(Array.from({ length: 12 }, () => reserveSend(id, "push")));
    expect(sent.filter(Boolean)).toHaveLength(MAX_PUSHES_PER_CHALLENGE);
    expect(await reserveSend(id, "sms")).toBe(true);
  });
});

describe("passing a challenge", () => {
  it("happens once", async () => {
    const { id } = await newChallenge();
    const results = await Promise.all(Array.from({ length: 10 }, () => markVerified(id, { method: "passcode", device: null })));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("is refused after the challenge was cancelled", async () => {
    const { id } = await newChallenge();
    expect(await endChallenge(id, "cancelled")).toBe(true);
    expect(await markVerified(id, { method: "passcode", device: null })).toBe(false);
  });

  it("is refused after expiry", async () => {
    const { id } = await newChallenge();
    await db.client.mfaChallenge.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await markVerified(id, { method: "passcode", device: null })).toBe(false);
  });

  it("by an answer to a superseded push is refused", async () => {
    const { id } = await newChallenge();
    await recordTransaction(id, { txid: "first", factor: "push", device: "DP1", status: "pushed" });
    await recordTransaction(id, { txid: "second", factor: "push", device: "DP1", status: "pushed" });
    expect(await markVerified(id, { method: "push", device: "DP1", txid: "first" })).toBe(false);
    expect(await markVerified(id, { method: "push", device: "DP1", txid: "second" })).toBe(true);
  });
});
