/**
 * A session upgrade raises the claim only for a challenge the database says passed, and only once.
 * Whatever the browser sends with the update (POST /api/auth/session) never reaches the claim.
 */
import { describe, expect, it } from "vitest";
import type { JWT } from "next-auth/jwt";
import { withTestDatabase } from "@/test/support/database";
import { createChallenge } from "../mfa/challenge";
import { claimsAfterUpdate } from "./session-token";

const db = withTestDatabase();
let counter = 0;

async function pendingSession(): Promise<{ token: JWT; challengeId: string; userId: string }> {
  const user = await db.client.user.create({ data: { email: `upgrade${++counter}@example.com`, passwordHash: "x", twoFactorEnabled: true } });
  const challenge = await createChallenge(user.id, "sign-in");
  const token: JWT = { uid: user.id, sub: user.id, assurance: "password", challengeId: challenge.id, pendingUntil: challenge.expiresAt.getTime(), sv: 0 };
  return { token, challengeId: challenge.id, userId: user.id };
}

describe("session upgrade", () => {
  it("leaves a session pending while its challenge has not passed", async () => {
    const { token } = await pendingSession();
    expect(await claimsAfterUpdate(token, Date.now())).toEqual(token);
  });

  it("upgrades once the challenge passed, and consumes it", async () => {
    const { token, challengeId } = await pendingSession();
    await db.client.mfaChallenge.update({ where: { id: challengeId }, data: { verifiedAt: new Date(), verifiedMethod: "push" } });
    const upgraded = await claimsAfterUpdate(token, Date.now());
    expect(upgraded).toMatchObject({ assurance: "mfa", challengeId: null });
    expect((await db.client.mfaChallenge.findUniqueOrThrow({ where: { id: challengeId } })).consumedAt).not.toBeNull();
  });

  it("cannot upgrade a second session with a consumed challenge (replay)", async () => {
    const { token, challengeId } = await pendingSession();
    await db.client.mfaChallenge.update({ where: { id: challengeId }, data: { verifiedAt: new Date() } });
    const results = await Promise.all([claimsAfterUpdate(token, Date.now()), claimsAfterUpdate({ ...token }, Date.now())]);
    expect(results.filter((t) => t.assurance === "mfa")).toHaveLength(1);
    expect(await claimsAfterUpdate(token, Date.now())).toMatchObject({ assurance: "password", challengeId });
  });

  it("cannot upgrade with another user's passed challenge", async () => {
    const mine = await pendingSession();
    const theirs = await pendingSession();
    await db.client.mfaChallenge.update({ where: { id: theirs.challengeId }, data: { verifiedAt: new Date() } });
    const forged = { ...mine.token, challengeId: theirs.challengeId };
    expect(await claimsAfterUpdate(forged, Date.now())).toMatchObject({ assurance: "password" });
  });

  it("cannot upgrade with an expired challenge", async () => {
    const { token, challengeId } = await pendingSession();
    await db.client.mfaChallenge.update({ where: { id: challengeId }, data: { verifiedAt: new Date(), expiresAt: new Date(Date.now() - 1000) } });
    expect(await claimsAfterUpdate(token, Date.now())).toMatchObject({ assurance: "password" });
  });
});

describe("step-up on a signed-in session", () => {
  async function fullSession() {
    const user = await db.client.user.create({ data: { email: `stepup${++counter}@example.com`, passwordHash: "x", twoFactorEnabled: true } });
    const token: JWT = { uid: user.id, sub: user.id, assurance: "mfa", challengeId: null, mfaAt: 1, sv: 0 };
    return { token, userId: user.id };
  }
  const verify = (id: string) => db.client.mfaChallenge.update({ where: { id }, data: { verifiedAt: new Date() } });

  it("raises mfaAt with the user's own passed step-up challenge, once", async () => {
    const { token, userId } = await fullSession();
    const { id } = await createChallenge(userId, "step-up");
    await verify(id);
    const now = Date.now();
    const updated = await claimsAfterUpdate(token, now, { stepUpChallengeId: id });
    expect(updated.mfaAt).toBeGreaterThan(1);
    expect(await claimsAfterUpdate(token, now, { stepUpChallengeId: id })).toEqual(token);
  });

  it("ignores a step-up challenge that has not passed", async () => {
    const { token, userId } = await fullSession();
    const { id } = await createChallenge(userId, "step-up");
    expect(await claimsAfterUpdate(token, Date.now(), { stepUpChallengeId: id })).toEqual(token);
  });

  it("ignores another user's passed step-up challenge", async () => {
    const mine = await fullSession();
    const theirs = await fullSession();
    const { id } = await createChallenge(theirs.userId, "step-up");
    await verify(id);
    expect(await claimsAfterUpdate(mine.token, Date.now(), { stepUpChallengeId: id })).toEqual(mine.token);
  });

  it("ignores a passed sign-in challenge offered as a step-up", async () => {
    const { token, userId } = await fullSession();
    const { id } = await createChallenge(userId, "sign-in");
    await verify(id);
    expect(await claimsAfterUpdate(token, Date.now(), { stepUpChallengeId: id })).toEqual(token);
  });

  it("ignores arbitrary update data: no claim is copied from it", async () => {
    const { token } = await fullSession();
    const forged = { assurance: "mfa", mfaAt: Date.now(), uid: "someone-else", challengeId: null, user: { id: "x" } };
    expect(await claimsAfterUpdate(token, Date.now(), forged)).toEqual(token);
  });

  it("keeps a pending session on its own challenge, whatever step-up id it sends", async () => {
    const { token: pending, challengeId, userId } = await pendingSession();
    const { id: stepUpId } = await createChallenge(userId, "step-up");
    await verify(stepUpId);
    expect(await claimsAfterUpdate(pending, Date.now(), { stepUpChallengeId: stepUpId })).toMatchObject({ assurance: "password", challengeId });
  });
});
