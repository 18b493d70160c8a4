/** Ten second-factor failures in a row lock the account for 15 minutes; a success resets the count. */
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import { LOCKOUT_SECONDS, lockState, MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES, recordSecondFactorFailure, resetSecondFactorFailures } from "./lockout";

const db = withTestDatabase();
let counter = 0;
const newUser = async () => (await db.client.user.create({ data: { email: `lock${++counter}@example.com`, passwordHash: "x" } })).id;

describe("account lockout", () => {
  it(`locks after ${MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES} consecutive failures, for ${LOCKOUT_SECONDS / 60} minutes`, async () => {
    const userId = await newUser();
    const now = new Date();
    for (let i = 1; i < MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES; i++) expect(await recordSecondFactorFailure(userId, now)).toBe(false);
    expect((await lockState(userId, now)).locked).toBe(false);
    expect(await recordSecondFactorFailure(userId, now)).toBe(true);
    const state = await lockState(userId, now);
    expect(state.locked).toBe(true);
    expect(state.until?.getTime()).toBe(now.getTime() + LOCKOUT_SECONDS * 1000);
  });

  it("expires: after 15 minutes the account is open again", async () => {
    const userId = await newUser();
    const now = new Date();
    for (let i = 0; i < MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES; i++) await recordSecondFactorFailure(userId, now);
    expect((await lockState(userId, new Date(now.getTime() + LOCKOUT_SECONDS * 1000 - 1))).locked).toBe(true);
    expect((await lockState(userId, new Date(now.getTime() + LOCKOUT_SECONDS * 1000 + 1))).locked).toBe(false);
  });

  it("counts every one of concurrent failures", async () => {
    const userId = await newUser();
    const results = await Promise.all(Array.from({ length: MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES }, () => recordSecondFactorFailure(userId)));
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect((await lockState(userId)).locked).toBe(true);
  });

  it("resets the count after a success", async () => {
    const userId = await newUser();
    for (let i = 1; i < MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES; i++) await recordSecondFactorFailure(userId);
    await resetSecondFactorFailures(userId);
    expect(await recordSecondFactorFailure(userId)).toBe(false);
    expect((await lockState(userId)).locked).toBe(false);
  });
});
