/**
 * What an administrator would do in Duo's admin panel, for the control API: create users with devices,
 * change a user's status, issue bypass codes.
 */
import { BYPASS_CODES_MAX_PER_USER } from "../constants";
import type { EmulatorContext } from "./context";
import type { Capability, Device, User, UserStatus } from "./model";
import { newBypassCodes } from "./passcodes";
import { createUser, newPhone, newToken } from "./users";

export type DeviceSpec =
  | { type: "phone"; name?: string; number?: string; platform?: string; capabilities?: Capability[] }
  | { type: "token"; name?: string };

export function addDeviceTo(context: EmulatorContext, user: User, spec: DeviceSpec): Device {
  const now = context.now();
  const device = spec.type === "token" ? newToken(now, spec.name) : newPhone(now, { ...spec, onPhone: true });
  context.store.addDevice(user, device);
  context.changed();
  return device;
}

export function createUserWithDevices(
  context: EmulatorContext,
  input: { username: string; aliases?: string[]; status?: UserStatus; devices?: DeviceSpec[] },
): { ok: true; user: User } | { ok: false; reason: "username_taken" } {
  const names = [input.username, ...(input.aliases ?? [])];
  if (names.some((name) => context.store.userByName(name))) return { ok: false, reason: "username_taken" };
  const user = createUser(context, input);
  for (const spec of input.devices ?? []) addDeviceTo(context, user, spec);
  context.changed();
  return { ok: true, user };
}

export function setUserStatus(context: EmulatorContext, user: User, status: UserStatus): void {
  user.status = status;
  // Unlocking also forgets the failures that caused the lockout.
  if (status !== "locked_out") user.failedAttempts = 0;
  context.changed();
}

export function issueBypassCodes(
  context: EmulatorContext,
  user: User,
  input: { count: number; validSeconds: number | null; uses: number | null },
): { ok: true; codes: string[]; expiration: number | null } | { ok: false; reason: "too_many" } {
  if (user.bypassCodes.length + input.count > BYPASS_CODES_MAX_PER_USER) return { ok: false, reason: "too_many" };
  const codes = newBypassCodes(input.count, input.validSeconds, context.now(), input.uses);
  user.bypassCodes.push(...codes);
  context.changed();
  const expires = codes[0]?.expires ?? null;
  return { ok: true, codes: codes.map((c) => c.code), expiration: expires === null ? null : Math.floor(expires / 1000) };
}
