/** The password rules of NIST SP 800-63B §3.1.1, and the bcrypt pre-hash that lets all 256 characters count. */
import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import {
  BCRYPT_COST,
  checkNewPassword,
  DUMMY_PASSWORD_HASH,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  verifyPassword,
} from "./password";

const context = { email: "rosalind@example.com", appName: "Duo 2FA Reference" };
const check = (password: string) => checkNewPassword(password, context);

describe("new password rules", () => {
  it("accepts 12 characters and refuses 11", () => {
    expect(check("plum-kite-47")).toEqual({ ok: true, value: undefined });
    expect(check("plum-kite-4")).toEqual({ ok: false, code: "PASSWORD_TOO_SHORT" });
    expect(PASSWORD_MIN_LENGTH).toBe(12);
  });

  it("counts characters, not bytes or UTF-16 units", () => {
    // 12 emoji: 48 bytes, 24 UTF-16 code units, 12 characters.
    expect(check("🐝🦊🌵🍋🎈🧲🪁🛶🧭🪴🎻🦔")).toEqual({ ok: true, value: undefined });
    expect(check("🐝🦊🌵🍋🎈🧲🪁🛶🧭🪴🎻")).toEqual({ ok: false, code: "PASSWORD_TOO_SHORT" });
  });

  it("accepts 256 characters and refuses 257", () => {
    const phrase = (n: number) => Array.from({ length: n }, (_, i) => "qwzx"[i % 4] + String(i % 10)).join("").slice(0, n);
    expect(check(phrase(PASSWORD_MAX_LENGTH))).toEqual({ ok: true, value: undefined });
    expect(check(phrase(PASSWORD_MAX_LENGTH + 1))).toEqual({ ok: false, code: "PASSWORD_TOO_LONG" });
  });

  it("has no composition rules: lower-case words with spaces are fine", () => {
    expect(check("marble orchard lantern")).toEqual({ ok: true, value: undefined });
  });

  it("refuses passwords from the shipped common-password list, whatever their case", () => {
    expect(check("qwerty123456")).toEqual({ ok: false, code: "PASSWORD_TOO_COMMON" });
    expect(check("QWERTY123456")).toEqual({ ok: false, code: "PASSWORD_TOO_COMMON" });
    expect(check("1q2w3e4r5t6y")).toEqual({ ok: false, code: "PASSWORD_TOO_COMMON" });
  });

  it("refuses repetitive and sequential passwords", () => {
    expect(check("aaaaaaaaaaaa")).toEqual({ ok: false, code: "PASSWORD_TOO_COMMON" });
    expect(check("abcabcabcabc")).toEqual({ ok: false, code: "PASSWORD_TOO_COMMON" });
    expect(check("abcdefghijklm")).toEqual({ ok: false, code: "PASSWORD_TOO_COMMON" });
    expect(check("987654321098")).toEqual({ ok: false, code: "PASSWORD_TOO_COMMON" });
    expect(check("345678901234")).toEqual({ ok: false, code: "PASSWORD_TOO_COMMON" });
  });

  it("refuses the user's email, its name part, and the site's name", () => {
    expect(check("rosalind@example.com")).toEqual({ ok: false, code: "PASSWORD_CONTEXT" });
    expect(check("my rosalind secret")).toEqual({ ok: false, code: "PASSWORD_CONTEXT" });
    expect(check("duo 2fa reference!")).toEqual({ ok: false, code: "PASSWORD_CONTEXT" });
  });
});

describe("password hashing", () => {
  it("hashes with bcrypt at the named cost", async () => {
    const hash = await hashPassword("marble orchard lantern");
    expect(bcrypt.getRounds(hash)).toBe(BCRYPT_COST);
    expect(BCRYPT_COST).toBeGreaterThanOrEqual(12);
    expect(await verifyPassword("marble orchard lantern", hash)).toBe(true);
    expect(await verifyPassword("marble orchard lanterns", hash)).toBe(false);
  });

  it("lets characters past bcrypt's 72-byte limit count", async () => {
    const stem = "x".repeat(80);
    const hash = await hashPassword(`${stem}-first`);
    expect(await verifyPassword(`${stem}-first`, hash)).toBe(true);
    expect(await verifyPassword(`${stem}-other`, hash)).toBe(false);
  });

  it("compares passwords after Unicode normalisation (NFKC)", async () => {
    const composed = "caf\u00e9 au lait, s'il vous pla\u00eet";
    const decomposed = composed.normalize("NFD");
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it("keeps the dummy hash for unknown emails at the same cost as real hashes", () => {
    expect(bcrypt.getRounds(DUMMY_PASSWORD_HASH)).toBe(BCRYPT_COST);
  });
});
