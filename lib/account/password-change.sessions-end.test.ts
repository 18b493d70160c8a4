/**
 * A password change needs the current password, ends every session (the session version moves on) and
 * forgets every remembered browser; two concurrent changes cannot both win.
 */
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import { createAccount } from "../auth/accounts";
import { verifyPassword } from "../auth/password";
import { rememberBrowser } from "../trusted-browsers/store";
import { changePassword } from "./password-change";

const db = withTestDatabase();
const CURRENT = "copper lantern harbour";
let counter = 0;
const client = () => ({ ip: `198.18.0.${++counter}`, userAgent: "vitest" });

async function newUser(): Promise<string> {
  const created = await createAccount({ email: `pw${++counter}@example.com`, password: CURRENT }, client());
  if (!created.ok) throw new Error(created.code);
  return created.value.id;
}

describe("changing the password", () => {
  it("refuses a wrong current password, and records it", async () => {
    const userId = await newUser();
    expect(await changePassword(userId, { currentPassword: "not the password", newPassword: "violet orchard meadow" }, client())).toEqual({
      ok: false,
      code: "CURRENT_PASSWORD_WRONG",
    });
    expect(await db.client.authEvent.count({ where: { userId, type: "password-changed", result: "failure" } })).toBe(1);
  });

  it("applies the rules to the new password, and refuses the same one", async () => {
    const userId = await newUser();
    expect(await changePassword(userId, { currentPassword: CURRENT, newPassword: "short" }, client())).toEqual({ ok: false, code: "PASSWORD_TOO_SHORT" });
    expect(await changePassword(userId, { currentPassword: CURRENT, newPassword: CURRENT }, client())).toEqual({ ok: false, code: "PASSWORD_UNCHANGED" });
  });

  it("ends every session and forgets every remembered browser", async () => {
    const userId = await newUser();
    await rememberBrowser(userId, client(), 30, null);
    const before = await db.client.user.findUniqueOrThrow({ where: { id: userId } });
    expect(await changePassword(userId, { currentPassword: CURRENT, newPassword: "violet orchard meadow" }, client())).toEqual({ ok: true, value: undefined });
    const after = await db.client.user.findUniqueOrThrow({ where: { id: userId } });
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(await verifyPassword("violet orchard meadow", after.passwordHash)).toBe(true);
    expect(await verifyPassword(CURRENT, after.passwordHash)).toBe(false);
    expect(await db.client.trustedBrowser.count({ where: { userId, revokedAt: null } })).toBe(0);
    expect(await db.client.authEvent.count({ where: { userId, type: "password-changed", result: "success" } })).toBe(1);
  });

  it("lets only one of two concurrent changes win", async () => {
    const userId = await newUser();
    const results = await Promise.all([
      changePassword(userId, { currentPassword: CURRENT, newPassword: "violet orchard meadow" }, client()),
      changePassword(userId, { currentPassword: CURRENT, newPassword: "amber quarry lighthouse" }, client()),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await db.client.user.findUniqueOrThrow({ where: { id: userId } })).sessionVersion).toBe(1);
  });
});
