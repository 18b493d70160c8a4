/**
 * Every kind of passcode /auth accepts (§4.7 factor `passcode`): bypass codes, the outstanding SMS batch,
 * and HOTP codes from Duo Mobile or a hardware token (§7). Checking a code and spending it happen in one
 * synchronous call, so two concurrent requests can never both use the same code.
 */
import { timingSafeEqual } from "node:crypto";
import { generateSecret, generateSync, verifySync } from "otplib";
import { BYPASS_CODE_DIGITS, HOTP_DIGITS, SMS_PASSCODE_DIGITS } from "../constants";
import { randomDigits } from "../ids";
import type { BypassCode, Device, SmsBatch, User } from "./model";

export function newHotpState(): Device["hotp"] {
  return { secret: generateSecret(), counter: 0, displayCounter: 0 };
}

function hotpAt(secret: string, counter: number): string {
  return generateSync({ secret, strategy: "hotp", counter, digits: HOTP_DIGITS });
}

/** What the device shows now: the code at its display counter (never behind the server's counter). */
export function displayedPasscode(device: Device): string {
  return hotpAt(device.hotp.secret, Math.max(device.hotp.counter, device.hotp.displayCounter));
}

/** "Generate a new passcode" on the device: the display moves one code ahead. */
export function advanceDisplayedPasscode(device: Device): void {
  device.hotp.displayCounter = Math.max(device.hotp.counter, device.hotp.displayCounter) + 1;
}

export function generatesPasscodes(device: Device): boolean {
  return device.type === "token" || device.capabilities.includes("mobile_otp");
}

/**
 * A new SMS batch. Each code starts with its position in the batch (1, 2, … 9, 0), so `sms_nextcode`
 * (the leading digit of the next code, §4.6) tells the user which message to use. Emulator's choice.
 */
export function newSmsBatch(deviceId: string, size: number, now: number): SmsBatch {
  const codes = Array.from({ length: size }, (_, i) => `${(i + 1) % 10}${randomDigits(SMS_PASSCODE_DIGITS - 1)}`);
  return { device: deviceId, codes, next: 0, sent: now };
}

export function smsNextCode(batch: SmsBatch | null, deviceId: string): string | undefined {
  if (batch === null || batch.device !== deviceId) return undefined;
  return batch.codes[batch.next]?.charAt(0);
}

export function newBypassCodes(count: number, validSeconds: number | null, now: number, uses: number | null): BypassCode[] {
  return Array.from({ length: count }, () => ({
    code: randomDigits(BYPASS_CODE_DIGITS),
    expires: validSeconds === null ? null : now + validSeconds * 1000,
    remainingUses: uses,
  }));
}

export type PasscodeKind = "bypass" | "sms" | "hotp";

/** Checks a passcode against everything the user has and spends it on a match. */
export function consumePasscode(user: User, passcode: string, now: number, lookAhead: number): PasscodeKind | null {
  if (!/^\d{1,16}$/.test(passcode)) return null;
  if (consumeBypassCode(user, passcode, now)) return "bypass";
  if (consumeSmsPasscode(user, passcode)) return "sms";
  if (consumeHotp(user, passcode, lookAhead)) return "hotp";
  return null;
}

function sameCode(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function consumeBypassCode(user: User, passcode: string, now: number): boolean {
  user.bypassCodes = user.bypassCodes.filter((code) => code.expires === null || code.expires > now);
  const index = user.bypassCodes.findIndex((code) => sameCode(code.code, passcode));
  const code = user.bypassCodes[index];
  if (code === undefined) return false;
  if (code.remainingUses === null) return true;
  if (code.remainingUses <= 1) user.bypassCodes.splice(index, 1);
  else code.remainingUses -= 1;
  return true;
}

/** SMS codes are used in order: a match at position i spends it and every earlier code (§7). */
function consumeSmsPasscode(user: User, passcode: string): boolean {
  const batch = user.sms;
  if (batch === null) return false;
  for (let i = batch.next; i < batch.codes.length; i++) {
    if (sameCode(batch.codes[i] ?? "", passcode)) {
      batch.next = i + 1;
      return true;
    }
  }
  return false;
}

/** HOTP with a look-ahead window; a match moves the counter past it, so the code and earlier ones die (§7). */
function consumeHotp(user: User, passcode: string, lookAhead: number): boolean {
  if (passcode.length !== HOTP_DIGITS) return false;
  for (const device of user.devices) {
    if (!generatesPasscodes(device)) continue;
    const result = verifySync({
      secret: device.hotp.secret,
      strategy: "hotp",
      token: passcode,
      counter: device.hotp.counter,
      digits: HOTP_DIGITS,
      counterTolerance: [0, lookAhead],
    });
    if (result.valid) {
      device.hotp.counter += result.delta + 1;
      device.hotp.displayCounter = Math.max(device.hotp.displayCounter, device.hotp.counter);
      return true;
    }
  }
  return false;
}
