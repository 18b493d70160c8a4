/**
 * Identifiers and secrets in Duo's observed formats (§1, §6, §7). All come from the CSPRNG: activation
 * codes, bypass codes and trusted-device tokens are credentials, and ids must not be guessable either.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const MIXED_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** User, device and token ids are 20 characters: a 2-letter kind prefix and 18 more (§1). */
const ID_LENGTH = 20;
/** The code part of an activation code (§6). */
export const ACTIVATION_CODE_LENGTH = 20;

function randomFrom(alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function randomDigits(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

export const newUserId = (): string => `DU${randomFrom(UPPER_ALNUM, ID_LENGTH - 2)}`;
export const newPhoneId = (): string => `DP${randomFrom(UPPER_ALNUM, ID_LENGTH - 2)}`;
export const newTokenId = (): string => `DH${randomFrom(UPPER_ALNUM, ID_LENGTH - 2)}`;
/** Transaction ids are lower-case UUIDs (§1). */
export const newTxid = (): string => randomUUID();
export const newActivationCode = (): string => randomFrom(MIXED_ALNUM, ACTIVATION_CODE_LENGTH);
/** A username Duo invents when /enroll gets none: 32 hex characters (§4.4). */
export const newGeneratedUsername = (): string => randomBytes(16).toString("hex");
/** The one-time code in an enroll_portal_url (Duo's mock: 16 hex characters, §4.6). */
export const newPortalCode = (): string => randomBytes(8).toString("hex");
export const newTrustedDeviceToken = (): string => randomBytes(32).toString("base64url");
/** A fictional number in the 555-01XX range reserved for fiction, so nothing real is ever shown. */
export const newFictionalPhoneNumber = (): string => `+1555555${String(100 + randomInt(100)).padStart(4, "0")}`;

/** Integration keys in Duo's format, for an emulator started without persisted keys (tests). */
export const newIkey = (): string => `DI${randomFrom(UPPER_ALNUM, ID_LENGTH - 2)}`;
/** Secret keys are 40 characters (§1). */
export const newSkey = (): string => randomFrom(MIXED_ALNUM, 40);
