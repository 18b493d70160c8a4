/** Users and their devices, and how devices are shown to Auth API clients (§4.6 `devices[]`). */
import { newFictionalPhoneNumber, newPhoneId, newTokenId, newUserId } from "../ids";
import type { EmulatorContext } from "./context";
import type { Capability, Device, User, UserStatus } from "./model";
import { newHotpState, smsNextCode } from "./passcodes";

/** What Duo Mobile activated on a smartphone can do (§4.6): the order matches Duo's responses. */
export const SMARTPHONE_CAPABILITIES: Capability[] = ["auto", "push", "sms", "phone", "mobile_otp"];
export const VIRTUAL_PHONE_NAME = "Virtual Duo Mobile";
const VIRTUAL_PHONE_PLATFORM = "Virtual Duo Mobile";

export function createUser(context: EmulatorContext, input: { username: string; aliases?: string[]; status?: UserStatus }): User {
  const user: User = {
    user_id: newUserId(),
    username: input.username,
    aliases: input.aliases ?? [],
    status: input.status ?? "active",
    devices: [],
    bypassCodes: [],
    sms: null,
    failedAttempts: 0,
    created: context.now(),
  };
  context.store.addUser(user);
  return user;
}

export interface PhoneInput {
  name?: string;
  number?: string;
  platform?: string;
  capabilities?: Capability[];
  onPhone?: boolean;
}

export function newPhone(now: number, input: PhoneInput = {}): Device {
  const capabilities = normalizeCapabilities(input.capabilities ?? SMARTPHONE_CAPABILITIES);
  const needsNumber = capabilities.includes("sms") || capabilities.includes("phone");
  return {
    device: newPhoneId(),
    type: "phone",
    name: input.name ?? VIRTUAL_PHONE_NAME,
    number: input.number ?? (needsNumber ? newFictionalPhoneNumber() : ""),
    platform: input.platform ?? VIRTUAL_PHONE_PLATFORM,
    capabilities,
    hotp: newHotpState(),
    onPhone: input.onPhone ?? false,
    created: now,
  };
}

/** A hardware token: HOTP only, no capabilities, shown without display_name or number (§4.6). */
export function newToken(now: number, name?: string): Device {
  const id = newTokenId();
  return {
    device: id,
    type: "token",
    name: name ?? id.slice(-8),
    number: "",
    platform: "",
    capabilities: [],
    hotp: newHotpState(),
    onPhone: false,
    created: now,
  };
}

/** `auto` marks a device Duo may pick for push or phone; keep it consistent with the rest (§4.6). */
function normalizeCapabilities(capabilities: Capability[]): Capability[] {
  const set = new Set(capabilities.filter((c) => c !== "auto"));
  const ordered = (["push", "sms", "phone", "mobile_otp"] as const).filter((c) => set.has(c));
  return set.has("push") || set.has("phone") ? ["auto", ...ordered] : ordered;
}

/** "XXX-XXX-4788": only the last four digits are ever shown (§4.6). */
export function maskNumber(number: string): string {
  const digits = number.replace(/\D/g, "");
  return digits.length === 0 ? "" : `XXX-XXX-${digits.slice(-4)}`;
}

export type DeviceView =
  | { device: string; type: "token"; name: string }
  | {
      device: string;
      type: "phone";
      name: string;
      number: string;
      display_name: string;
      capabilities: Capability[];
      sms_nextcode?: string;
    };

export function deviceView(user: User, device: Device): DeviceView {
  if (device.type === "token") return { device: device.device, type: "token", name: device.name };
  const number = maskNumber(device.number);
  const label = device.name || device.platform;
  const next = smsNextCode(user.sms, device.device);
  return {
    capabilities: [...device.capabilities],
    device: device.device,
    display_name: number ? `${label} (${number})` : label,
    name: device.name,
    number,
    ...(next === undefined ? {} : { sms_nextcode: next }),
    type: "phone",
  };
}

export function userView(user: User) {
  return {
    user_id: user.user_id,
    username: user.username,
    aliases: user.aliases,
    status: user.status,
    failed_attempts: user.failedAttempts,
    devices: user.devices.map((device) => deviceView(user, device)),
    bypass_codes_remaining: user.bypassCodes.length,
  };
}
