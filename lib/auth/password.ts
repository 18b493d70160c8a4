/**
 * Passwords, per NIST SP 800-63B §3.1.1: at least 12 characters, up to 256 accepted, no composition rules,
 * common and context-specific passwords refused.
 *
 * bcrypt reads only the first 72 bytes of its input. Rather than refuse longer passwords (a 256-character
 * passphrase of multi-byte characters can be 1 KB), every password is pre-hashed: NFKC-normalised, then
 * HMAC-SHA256 under a fixed, public domain-separation key, base64-encoded (44 ASCII bytes, no NULs), and
 * that is what bcrypt hashes. Every character of the password counts. The HMAC key is not a secret; it
 * stops "shucking", where leaked unsalted SHA-256 hashes from elsewhere could be tested against ours
 * without cracking bcrypt.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import bcrypt from "bcryptjs";
import { fail, ok, type Result } from "../errors";

/** bcrypt work factor: 2^12 rounds, about 0.3 s per hash on this project's 2-core machines. */
export const BCRYPT_COST = 12;
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
/** Longest input we even look at; anything longer is refused before normalisation or hashing. */
export const PASSWORD_MAX_INPUT_BYTES = 4 * PASSWORD_MAX_LENGTH;

const PREHASH_KEY = "duo-2fa-reference/password-prehash/v1";

/**
 * A bcrypt hash (cost 12) of a password nobody has. An unknown email is compared against it, so that it
 * costs the same time as a wrong password for a known one. A test pins its cost to BCRYPT_COST.
 */
export const DUMMY_PASSWORD_HASH = "$2b$12$7IEvy3iUQ17yVWw85pgyeuglgRF0.XNBvyRZ5FXtKTNw36zk9z3cG";

export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

/** Length in characters (Unicode code points) of the normalised password, as NIST counts it. */
export function passwordLength(password: string): number {
  return [...normalizePassword(password)].length;
}

function prehash(password: string): string {
  return createHmac("sha256", PREHASH_KEY).update(normalizePassword(password), "utf8").digest("base64");
}

export async function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(prehash(password), BCRYPT_COST);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(prehash(password), hash);
}

/** Spends the same time as a real comparison, for an account that does not exist. */
export async function spendPasswordTime(password: string): Promise<void> {
  await bcrypt.compare(prehash(password), DUMMY_PASSWORD_HASH);
}

let commonPasswords: Set<string> | undefined;

function loadCommonPasswords(): Set<string> {
  if (!commonPasswords) {
    const file = path.join(process.cwd(), "lib/auth/common-passwords.txt");
    const lines = readFileSync(file, "utf8").split("\n");
    commonPasswords = new Set(lines.filter((line) => line !== "" && !line.startsWith("#")));
  }
  return commonPasswords;
}

export function isCommonPassword(password: string): boolean {
  return loadCommonPasswords().has(normalizePassword(password).toLowerCase());
}

/** One short unit repeated ("abcabcabcabc") or a run of consecutive characters ("abcdefghijkl"). */
export function isRepetitiveOrSequential(password: string): boolean {
  const chars = [...normalizePassword(password).toLowerCase()];
  for (let unit = 1; unit <= 4; unit++) {
    if (chars.length % unit === 0 && chars.every((c, i) => c === chars[i % unit])) return true;
  }
  const steps = chars.slice(1).map((c, i) => step(chars[i] ?? "", c));
  return steps.every((s) => s === 1) || steps.every((s) => s === -1);
}

/** +1 or -1 between neighbouring characters; digits wrap around (…8901…, …2109…). */
function step(from: string, to: string): number {
  const a = from.codePointAt(0) ?? 0;
  const b = to.codePointAt(0) ?? 0;
  if (/\d/.test(from) && /\d/.test(to)) {
    const d = (b - a + 10) % 10;
    return d === 1 ? 1 : d === 9 ? -1 : 0;
  }
  return b - a;
}

export type PasswordRuleCode =
  | "PASSWORD_TOO_SHORT"
  | "PASSWORD_TOO_LONG"
  | "PASSWORD_TOO_COMMON"
  | "PASSWORD_CONTEXT";

/** Checks a new password against the rules; `context` holds words specific to this user and site. */
export function checkNewPassword(
  password: string,
  context: { email: string; appName: string },
): Result<void, PasswordRuleCode> {
  if (Buffer.byteLength(password, "utf8") > PASSWORD_MAX_INPUT_BYTES) return fail("PASSWORD_TOO_LONG");
  const length = passwordLength(password);
  if (length < PASSWORD_MIN_LENGTH) return fail("PASSWORD_TOO_SHORT");
  if (length > PASSWORD_MAX_LENGTH) return fail("PASSWORD_TOO_LONG");
  if (isCommonPassword(password) || isRepetitiveOrSequential(password)) return fail("PASSWORD_TOO_COMMON");

  const lowered = normalizePassword(password).toLowerCase();
  const email = context.email.trim().toLowerCase();
  const localPart = email.split("@")[0] ?? "";
  const appName = context.appName.toLowerCase();
  // Short local parts ("jo") would refuse too much; four characters or more are worth refusing.
  const contextWords = [email, localPart.length >= 4 ? localPart : "", appName].filter((w) => w !== "");
  if (contextWords.some((word) => lowered === word || lowered.includes(word))) return fail("PASSWORD_CONTEXT");
  return ok(undefined);
}
