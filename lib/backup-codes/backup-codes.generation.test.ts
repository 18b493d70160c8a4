/** Backup codes are long enough, readable, unique, and never stored in a guessable form. */
import { describe, expect, it } from "vitest";
import {
  BACKUP_CODE_ALPHABET,
  BACKUP_CODE_COUNT,
  generateCodes,
  hashSecret,
  parseCode,
  secretBits,
  verifySecret,
} from "./codes";

describe("backup code generation", () => {
  it("issues ten codes of four groups of four", () => {
    const codes = generateCodes();
    expect(codes).toHaveLength(BACKUP_CODE_COUNT);
    for (const code of codes) expect(code.display).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  });

  it("uses an alphabet without look-alikes", () => {
    for (const lookAlike of ["0", "O", "1", "I", "L", "U", "V"]) expect(BACKUP_CODE_ALPHABET).not.toContain(lookAlike);
    const used = new Set(generateCodes(200).flatMap((c) => [...c.display.replaceAll("-", "")]));
    for (const char of used) expect(BACKUP_CODE_ALPHABET).toContain(char);
  });

  it("gives each code at least 60 bits of secret", () => {
    expect(secretBits()).toBeGreaterThanOrEqual(60);
  });

  it("never repeats a lookup id within a set, and sets do not repeat", () => {
    const codes = generateCodes();
    expect(new Set(codes.map((c) => c.lookup)).size).toBe(codes.length);
    const many = Array.from({ length: 200 }, () => generateCodes().map((c) => c.display)).flat();
    expect(new Set(many).size).toBe(many.length);
  });

  it("spreads characters evenly (no position stuck on a few values)", () => {
    const counts = new Map<string, number>();
    for (const code of generateCodes(3000)) for (const c of code.secret) counts.set(c, (counts.get(c) ?? 0) + 1);
    const expected = (3000 * 13) / BACKUP_CODE_ALPHABET.length;
    for (const char of BACKUP_CODE_ALPHABET) {
      expect(counts.get(char) ?? 0).toBeGreaterThan(expected * 0.8);
      expect(counts.get(char) ?? 0).toBeLessThan(expected * 1.2);
    }
  });
});

describe("reading a typed code", () => {
  it("ignores case, spaces and dashes", () => {
    const [code] = generateCodes(1);
    if (!code) throw new Error("no code");
    const sloppy = ` ${code.display.toLowerCase().replaceAll("-", " ")} `;
    expect(parseCode(sloppy)).toEqual({ lookup: code.lookup, secret: code.secret });
  });

  it("refuses wrong lengths and foreign characters without hashing", () => {
    expect(parseCode("ABCD-EFGH")).toBeNull();
    expect(parseCode("ABCD-EFGH-JKMN-PQR0")).toBeNull();
    expect(parseCode("ABCD-EFGH-JKMN-PQRSS")).toBeNull();
  });
});

describe("stored form", () => {
  it("is a salted scrypt hash that verifies only the right secret", async () => {
    const [code] = generateCodes(1);
    if (!code) throw new Error("no code");
    const a = await hashSecret(code.secret);
    const b = await hashSecret(code.secret);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(code.secret);
    expect(await verifySecret(code.secret, a)).toBe(true);
    const last = code.secret.at(-1);
    const other = BACKUP_CODE_ALPHABET.split("").find((c) => c !== last) ?? "";
    expect(await verifySecret(`${code.secret.slice(0, -1)}${other}`, a)).toBe(false);
  });
});
