/**
 * Enrollment (§4.4, §4.5, §6): /enroll creates a user and an activation code; "scanning" the code with
 * the virtual phone claims it; /enroll_status reports waiting → success, or invalid once expired.
 * The enrollment portal (§4.6 `enroll_portal_url`) is the same flow reached from /preauth.
 */
import { BYPASS_CODE_VALID_SECONDS, ENROLL_PORTAL_SECONDS } from "../constants";
import { ACTIVATION_CODE_LENGTH, newActivationCode, newGeneratedUsername, newPortalCode } from "../ids";
import type { EmulatorContext } from "./context";
import { duoFail, duoOk, type DuoResult } from "./duo-errors";
import type { Device, User } from "./model";
import { newBypassCodes } from "./passcodes";
import { createUser, newPhone } from "./users";

export interface EnrollResponse {
  activation_barcode: string;
  activation_code: string;
  activation_url: string;
  expiration: number;
  user_id: string;
  username: string;
  bypass_codes?: string[];
}

export type EnrollStatus = "success" | "waiting" | "invalid";

const CODE_PATTERN = new RegExp(`^[A-Za-z0-9]{${ACTIVATION_CODE_LENGTH}}$`);

/** `duo://` + code + `-` + the API hostname in unpadded base64 (§6). */
export function activationCodeString(code: string, apiHost: string): string {
  return `duo://${code}-${Buffer.from(apiHost, "utf8").toString("base64").replace(/=+$/, "")}`;
}

/**
 * The 20-character code out of whatever a person pastes: the full `duo://…` string, the code alone,
 * or the activation link (`…/phone?activation=…`).
 */
export function parseActivationCode(input: string): string | null {
  let value = input.trim();
  if (/^https?:\/\//i.test(value)) {
    try {
      value = new URL(value).searchParams.get("activation") ?? "";
    } catch {
      return null;
    }
  }
  value = value.replace(/^duo:\/\//i, "");
  const code = value.split("-")[0] ?? "";
  return CODE_PATTERN.test(code) ? code : null;
}

export function enroll(
  context: EmulatorContext,
  input: { username: string | null; validSeconds: number; bypassCodes: number | null },
): DuoResult<EnrollResponse> {
  const username = input.username ?? newGeneratedUsername();
  // Duo refuses an existing username; the exact code is UNCONFIRMED (§2.2), 40002 is the plausible one.
  if (context.store.userByName(username)) return duoFail(40002, "username");
  const user = createUser(context, { username });
  const response = newActivation(context, user, input.validSeconds);
  if (input.bypassCodes !== null) {
    const codes = newBypassCodes(input.bypassCodes, BYPASS_CODE_VALID_SECONDS, context.now(), 1);
    user.bypassCodes.push(...codes);
    response.bypass_codes = codes.map((c) => c.code);
  }
  context.changed();
  return duoOk(response);
}

function newActivation(context: EmulatorContext, user: User, validSeconds: number): EnrollResponse {
  const code = newActivationCode();
  const expires = context.now() + validSeconds * 1000;
  context.store.enrollments.set(code, { code, user_id: user.user_id, expires, claimed: null, device: null });
  const activationCode = activationCodeString(code, context.apiHost);
  const base = context.baseUrl();
  return {
    activation_barcode: `${base}/frame/qr?value=${encodeURIComponent(activationCode)}`,
    activation_code: activationCode,
    activation_url: `${base}/phone?activation=${code}`,
    expiration: Math.floor(expires / 1000),
    user_id: user.user_id,
    username: user.username,
  };
}

export function enrollStatus(context: EmulatorContext, userId: string, activationCode: string): EnrollStatus {
  const code = parseActivationCode(activationCode);
  const enrollment = code === null ? undefined : context.store.enrollments.get(code);
  if (!enrollment || enrollment.user_id !== userId) return "invalid";
  if (enrollment.claimed !== null) return "success";
  return enrollment.expires > context.now() ? "waiting" : "invalid";
}

export type ActivationResult =
  | { ok: true; user: User; device: Device }
  | { ok: false; reason: "unknown" | "expired" | "claimed" };

/** What scanning the QR code with Duo Mobile does: a new smartphone device for the user. */
export function activate(context: EmulatorContext, input: string): ActivationResult {
  const code = parseActivationCode(input);
  const enrollment = code === null ? undefined : context.store.enrollments.get(code);
  const user = enrollment ? context.store.userById(enrollment.user_id) : undefined;
  if (!enrollment || !user) return { ok: false, reason: "unknown" };
  // A code activates one device only: replaying it must not add a second phone to the account.
  if (enrollment.claimed !== null) return { ok: false, reason: "claimed" };
  if (enrollment.expires <= context.now()) return { ok: false, reason: "expired" };
  const device = newPhone(context.now(), { onPhone: true });
  context.store.addDevice(user, device);
  enrollment.claimed = context.now();
  enrollment.device = device.device;
  context.changed();
  return { ok: true, user, device };
}

/** A one-time, five-minute link to the enrollment portal for `username` (§4.6). */
export function createPortal(context: EmulatorContext, username: string): string {
  const code = newPortalCode();
  context.store.portals.set(code, { code, username, expires: context.now() + ENROLL_PORTAL_SECONDS * 1000, used: false });
  context.changed();
  return `${context.baseUrl()}/portal?code=${code}&akey=${encodeURIComponent(context.ikey)}`;
}

/** Opens a portal link: creates the user if needed and a fresh activation. The link works once. */
export function openPortal(context: EmulatorContext, code: string, validSeconds: number): { ok: true; enrollment: EnrollResponse } | { ok: false } {
  const portal = context.store.portals.get(code);
  if (!portal || portal.used || portal.expires <= context.now()) return { ok: false };
  portal.used = true;
  const user = context.store.userByName(portal.username) ?? createUser(context, { username: portal.username });
  const enrollment = newActivation(context, user, validSeconds);
  context.changed();
  return { ok: true, enrollment };
}
