/** A backup code works once, for its owner, and a new set replaces the old one entirely. */
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import { countRemainingBackupCodes, issueBackupCodes, spendBackupCode } from "./store";

const db = withTestDatabase();
let counter = 0;
const newUser = async () => (await db.client.user.create({ data: { email: `codes${++counter}@example.com`, passwordHash: "x" } })).id;

describe("backup codes", () => {
  it("are stored hashed: no code appears in the database", async () => {
    const userId = await newUser();
    const codes = await issueBackupCodes(userId);
    const rows = await db.client.backupCode.findMany({ where: { userId } });
    expect(rows).toHaveLength(10);
    const stored = JSON.stringify(rows);
    for (const code of codes) expect(stored).not.toContain(code.replaceAll("-", "").slice(3));
  });

  it("spend once: the same code is refused the second time", async () => {
    const userId = await newUser();
    const [code] = await issueBackupCodes(userId);
    expect(await spendBackupCode(userId, code ?? "")).toBe(true);
    expect(await spendBackupCode(userId, code ?? "")).toBe(false);
    expect(await countRemainingBackupCodes(userId)).toBe(9);
  });

  it("accept the code however it is typed", async () => {
    const userId = await newUser();
    const [code] = await issueBackupCodes(userId);
    expect(await spendBackupCode(userId, (code ?? "").toLowerCase().replaceAll("-", " "))).toBe(true);
  });

  it("belong to one user", async () => {
    const alice = await newUser();
    const bob = await newUser();
    const [aliceCode] = await issueBackupCodes(alice);
    await issueBackupCodes(bob);
    expect(await spendBackupCode(bob, aliceCode ?? "")).toBe(false);
    expect(await spendBackupCode(alice, aliceCode ?? "")).toBe(true);
  });

  it("refuse a wrong secret with a right lookup id", async () => {
    const userId = await newUser();
    const [code] = await issueBackupCodes(userId);
    const raw = (code ?? "").replaceAll("-", "");
    const tampered = `${raw.slice(0, 15)}${raw.endsWith("2") ? "3" : "2"}`;
    expect(await spendBackupCode(userId, tampered)).toBe(false);
    expect(await countRemainingBackupCodes(userId)).toBe(10);
  });

  it("regenerating replaces all old codes", async () => {
    const userId = await newUser();
    const old = await issueBackupCodes(userId);
    await spendBackupCode(userId, old[0] ?? "");
    const fresh = await issueBackupCodes(userId);
    expect(await countRemainingBackupCodes(userId)).toBe(10);
    for (const code of old.slice(1)) {
      if (fresh.includes(code)) continue;
      expect(await spendBackupCode(userId, code)).toBe(false);
    }
    expect(await spendBackupCode(userId, fresh[0] ?? "")).toBe(true);
  });
});
