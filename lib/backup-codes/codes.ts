/**
 * Backup codes: what they look like and how they are hashed.
 *
 * A code is 16 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U/V),
 * shown as four groups of four: `K7QM-4XHR-9TWC-PD2N`. Its first 3 characters are a lookup id, stored
 * in clear so a check reads one row; the other 13 are the secret (13 × log2(29) ≈ 63.2 bits).
 *
 * NIST SP 800-63B §5.1.2.1: look-up secrets with fewer than 112 bits of entropy are stored salted and
 * hashed with a password hashing scheme, so that a database leak does not give them away to offline
 * guessing. We use scrypt (built into Node, runs off the event loop) with a random salt per code.
 */
import { randomBytes, randomInt, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { BACKUP_CODE_COUNT } from "./constants";

export { BACKUP_CODE_COUNT, BACKUP_CODES_LOW_WATERMARK } from "./constants";

export const BACKUP_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ";
export const BACKUP_CODE_LENGTH = 16;
export const BACKUP_CODE_LOOKUP_LENGTH = 3;
const GROUP_SIZE = 4;

/** scrypt cost: N = 2^14, r = 8, p = 1 (about 16 MiB and tens of milliseconds per check). */
const SCRYPT: ScryptOptions = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const SCRYPT_KEY_BYTES = 32;
const SALT_BYTES = 16;

export function secretBits(): number {
  return (BACKUP_CODE_LENGTH - BACKUP_CODE_LOOKUP_LENGTH) * Math.log2(BACKUP_CODE_ALPHABET.length);
}

export interface GeneratedCode {
  /** As shown to the user, grouped. */
  display: string;
  lookup: string;
  secret: string;
}

function randomCharacters(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += BACKUP_CODE_ALPHABET[randomInt(BACKUP_CODE_ALPHABET.length)];
  return out;
}

export function formatCode(raw: string): string {
  return raw.match(new RegExp(`.{1,${GROUP_SIZE}}`, "g"))?.join("-") ?? raw;
}

/** A set of codes with distinct lookup ids (the database enforces it too). */
export function generateCodes(count: number = BACKUP_CODE_COUNT): GeneratedCode[] {
  const codes: GeneratedCode[] = [];
  const lookups = new Set<string>();
  while (codes.length < count) {
    const raw = randomCharacters(BACKUP_CODE_LENGTH);
    const lookup = raw.slice(0, BACKUP_CODE_LOOKUP_LENGTH);
    if (lookups.has(lookup)) continue;
    lookups.add(lookup);
    codes.push({ display: formatCode(raw), lookup, secret: raw.slice(BACKUP_CODE_LOOKUP_LENGTH) });
  }
  return codes;
}

/**
 * Reads what the user typed: case, spaces and dashes don't matter. Returns null for anything that
 * cannot be a code, so that it costs no hash and no database read.
 */
export function parseCode(input: string): { lookup: string; secret: string } | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, "");
  if (raw.length !== BACKUP_CODE_LENGTH) return null;
  for (const char of raw) if (!BACKUP_CODE_ALPHABET.includes(char)) return null;
  return { lookup: raw.slice(0, BACKUP_CODE_LOOKUP_LENGTH), secret: raw.slice(BACKUP_CODE_LOOKUP_LENGTH) };
}

function scrypt(secret: string, salt: Buffer, keyBytes: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(secret, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`, base64url parts: the parameters travel with the hash so they can change. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(secret, salt, SCRYPT_KEY_BYTES, SCRYPT);
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await scrypt(secret, Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
