/**
 * The password step's limits and shortcuts: failures per account and attempts per address are limited
 * (even the right password is refused past the limit), a locked second factor stops sign-in, and a
 * remembered browser skips the second factor only for its own user.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import { LIMITS } from "../rate-limit/limits";
import { MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES, recordSecondFactorFailure } from "../mfa/lockout";
import { rememberBrowser } from "../trusted-browsers/store";
import { createAccount, verifyPrimaryLogin } from "./accounts";

const db = withTestDatabase();
const PASSWORD = "harbour kestrel mosaic";
const newIp = () => `10.${randomBytes(3).join(".")}`;
const clientAt = (ip: string) => ({ ip, userAgent: "vitest" });

async function newUser(twoFactorEnabled = false) {
  const email = `limits-${randomBytes(4).toString("hex")}@example.com`;
  const created = await createAccount({ email, password: PASSWORD }, clientAt(newIp()));
  if (!created.ok) throw new Error(created.code);
  if (twoFactorEnabled) await db.client.user.update({ where: { email }, data: { twoFactorEnabled: true } });
  return { email, id: created.value.id };
}

describe("sign-in limits", () => {
  it(`refuses even the right password after ${LIMITS.signInFailuresPerAccount.points} failures on the account, from any address`, async () => {
    const { email } = await newUser();
    for (let i = 0; i < LIMITS.signInFailuresPerAccount.points; i++) {
      const result = await verifyPrimaryLogin({ email, password: "wrong password here" }, { client: clientAt(newIp()), rememberToken: null });
      expect(result).toEqual({ ok: false, code: "INVALID_CREDENTIALS" });
    }
    const right = await verifyPrimaryLogin({ email, password: PASSWORD }, { client: clientAt(newIp()), rememberToken: null });
    expect(right).toEqual({ ok: false, code: "RATE_LIMITED" });
  });

  it("forgets earlier failures after a successful sign-in", async () => {
    const { email } = await newUser();
    const client = clientAt(newIp());
    for (let i = 0; i < LIMITS.signInFailuresPerAccount.points - 1; i++) {
      await verifyPrimaryLogin({ email, password: "wrong password here" }, { client, rememberToken: null });
    }
    expect((await verifyPrimaryLogin({ email, password: PASSWORD }, { client, rememberToken: null })).ok).toBe(true);
    await verifyPrimaryLogin({ email, password: "wrong password here" }, { client, rememberToken: null });
    expect((await verifyPrimaryLogin({ email, password: PASSWORD }, { client, rememberToken: null })).ok).toBe(true);
  });

  it(`limits one address to ${LIMITS.signInPerIp.points} attempts, across accounts`, async () => {
    const ip = newIp();
    const { email } = await newUser();
    const attempts = await Promise.all(
      Array.from({ length: LIMITS.signInPerIp.points }, () =>
        verifyPrimaryLogin({ email: `nobody-${randomBytes(3).toString("hex")}@example.com`, password: PASSWORD }, { client: clientAt(ip), rememberToken: null }),
      ),
    );
    expect(attempts.every((a) => !a.ok && a.code === "INVALID_CREDENTIALS")).toBe(true);
    expect(await verifyPrimaryLogin({ email, password: PASSWORD }, { client: clientAt(ip), rememberToken: null })).toEqual({ ok: false, code: "RATE_LIMITED" });
    expect((await verifyPrimaryLogin({ email, password: PASSWORD }, { client: clientAt(newIp()), rememberToken: null })).ok).toBe(true);
    // 32 bcrypt comparisons at cost 12 run one after another on the event loop: seconds on a busy 2-core machine.
  }, 60_000);
});

describe("second-factor lockout at sign-in", () => {
  it("stops a locked account after its password, without creating a challenge", async () => {
    const { email, id } = await newUser(true);
    for (let i = 0; i < MAX_CONSECUTIVE_SECOND_FACTOR_FAILURES; i++) await recordSecondFactorFailure(id);
    const result = await verifyPrimaryLogin({ email, password: PASSWORD }, { client: clientAt(newIp()), rememberToken: null });
    expect(result).toEqual({ ok: false, code: "ACCOUNT_LOCKED" });
    expect(await db.client.mfaChallenge.count({ where: { userId: id } })).toBe(0);
  });
});

describe("remembered browser at sign-in", () => {
  it("skips the second factor for its own user and rotates the token", async () => {
    const { email, id } = await newUser(true);
    const client = clientAt(newIp());
    const { token } = await rememberBrowser(id, client, 30, null);
    const result = await verifyPrimaryLogin({ email, password: PASSWORD }, { client, rememberToken: token });
    if (!result.ok) throw new Error(result.code);
    expect(result.value.assurance).toBe("remembered");
    expect(result.value.pending).toBeNull();
    expect(result.value.rememberCookie).toMatchObject({ action: "set" });
    if (result.value.rememberCookie.action === "set") expect(result.value.rememberCookie.token).not.toBe(token);
    expect(await db.client.authEvent.count({ where: { userId: id, method: "remembered", result: "success" } })).toBe(1);
  });

  it("does nothing for another user: their second factor is asked, and the cookie is cleared", async () => {
    const alice = await newUser(true);
    const bob = await newUser(true);
    const { token } = await rememberBrowser(alice.id, clientAt(newIp()), 30, null);
    const result = await verifyPrimaryLogin({ email: bob.email, password: PASSWORD }, { client: clientAt(newIp()), rememberToken: token });
    if (!result.ok) throw new Error(result.code);
    expect(result.value.assurance).toBe("password");
    expect(result.value.pending).not.toBeNull();
    expect(result.value.rememberCookie).toEqual({ action: "clear" });
  });

  it("does nothing with the wrong password", async () => {
    const { email, id } = await newUser(true);
    const { token } = await rememberBrowser(id, clientAt(newIp()), 30, null);
    const result = await verifyPrimaryLogin({ email, password: "not the password" }, { client: clientAt(newIp()), rememberToken: token });
    expect(result).toEqual({ ok: false, code: "INVALID_CREDENTIALS" });
  });
});
