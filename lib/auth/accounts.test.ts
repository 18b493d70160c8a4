/** Sign-up and the password step of sign-in, against a real database. */
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import { CHALLENGE_TTL_SECONDS } from "../mfa/challenge";
import { createAccount, verifyPrimaryLogin } from "./accounts";

const db = withTestDatabase();
const client = { ip: "203.0.113.7", userAgent: "vitest" };
const context = { client, rememberToken: null };
// Sign-ups are limited per address; each test's sign-up comes from its own.
const signUpClient = () => ({ ip: `192.0.2.${++counter}`, userAgent: "vitest" });
let counter = 0;
const freshEmail = () => `user${++counter}-${Date.now()}@example.com`;
const PASSWORD = "tangerine glacier notebook";

describe("createAccount", () => {
  it("stores a bcrypt hash, never the password, and records the sign-up", async () => {
    const email = freshEmail();
    const result = await createAccount({ email, password: PASSWORD }, client);
    expect(result.ok).toBe(true);
    const user = await db.client.user.findUniqueOrThrow({ where: { email } });
    expect(user.passwordHash).toMatch(/^\$2[aby]\$12\$/);
    expect(user.passwordHash).not.toContain(PASSWORD);
    expect(user.twoFactorEnabled).toBe(false);
    const events = await db.client.authEvent.findMany({ where: { userId: user.id } });
    expect(events).toMatchObject([{ type: "sign-up", result: "success", ipAddress: "203.0.113.7", userAgent: "vitest" }]);
  });

  it("refuses a password that breaks the rules without creating anything", async () => {
    const email = freshEmail();
    expect(await createAccount({ email, password: "short" }, signUpClient())).toEqual({ ok: false, code: "PASSWORD_TOO_SHORT" });
    expect(await db.client.user.count({ where: { email } })).toBe(0);
  });

  it("gives one account per email, even to concurrent sign-ups", async () => {
    const email = freshEmail();
    const results = await Promise.all(Array.from({ length: 5 }, () => createAccount({ email, password: PASSWORD }, signUpClient())));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(Array.from({ length: 4 }, () => ({ ok: false, code: "EMAIL_TAKEN" })));
    expect(await db.client.user.count({ where: { email } })).toBe(1);
  });
});

describe("verifyPrimaryLogin", () => {
  it("signs in with the right password and no pending step when 2FA is off", async () => {
    const email = freshEmail();
    await createAccount({ email, password: PASSWORD }, signUpClient());
    const result = await verifyPrimaryLogin({ email, password: PASSWORD }, context);
    expect(result).toMatchObject({ ok: true, value: { email, assurance: "password", pending: null } });
  });

  it("answers a wrong password and an unknown email identically", async () => {
    const email = freshEmail();
    await createAccount({ email, password: PASSWORD }, signUpClient());
    const wrong = await verifyPrimaryLogin({ email, password: `${PASSWORD}!` }, context);
    const unknown = await verifyPrimaryLogin({ email: freshEmail(), password: PASSWORD }, context);
    expect(wrong).toEqual({ ok: false, code: "INVALID_CREDENTIALS" });
    expect(unknown).toEqual(wrong);
  });

  it("records failures in the audit log, including for unknown emails", async () => {
    const email = freshEmail();
    const { ok } = await createAccount({ email, password: PASSWORD }, signUpClient());
    expect(ok).toBe(true);
    const user = await db.client.user.findUniqueOrThrow({ where: { email } });
    await verifyPrimaryLogin({ email, password: "not the password" }, context);
    expect(await db.client.authEvent.count({ where: { userId: user.id, type: "sign-in", result: "failure" } })).toBe(1);
    const before = await db.client.authEvent.count({ where: { userId: null, type: "sign-in", result: "failure" } });
    await verifyPrimaryLogin({ email: freshEmail(), password: PASSWORD }, context);
    expect(await db.client.authEvent.count({ where: { userId: null, type: "sign-in", result: "failure" } })).toBe(before + 1);
  });

  it("creates a server-side pending challenge, expiring within 10 minutes, when 2FA is on", async () => {
    const email = freshEmail();
    await createAccount({ email, password: PASSWORD }, signUpClient());
    await db.client.user.update({ where: { email }, data: { twoFactorEnabled: true } });
    const before = Date.now();
    const result = await verifyPrimaryLogin({ email, password: PASSWORD }, context);
    if (!result.ok || !result.value.pending) throw new Error("expected a pending second factor");
    const challenge = await db.client.mfaChallenge.findUniqueOrThrow({ where: { id: result.value.pending.challengeId } });
    expect(challenge).toMatchObject({ userId: result.value.userId, purpose: "sign-in", verifiedAt: null, consumedAt: null });
    expect(challenge.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(challenge.expiresAt.getTime()).toBeGreaterThan(before);
    expect(challenge.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + CHALLENGE_TTL_SECONDS * 1000);
    expect(CHALLENGE_TTL_SECONDS).toBeLessThanOrEqual(600);
  });
});
