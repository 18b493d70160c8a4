/** /preauth (§4.6, §8.4): may this user log in, and with which devices? */
import { VERIFIED_PUSH_SECONDS } from "../constants";
import { newTxid, randomDigits } from "../ids";
import type { EmulatorContext } from "./context";
import { duoFail, duoOk, type DuoResult } from "./duo-errors";
import { createPortal } from "./enrollment";
import { STATUS_MSG } from "./messages";
import type { User } from "./model";
import { deviceView, type DeviceView } from "./users";

export type UserRef = { user_id: string } | { username: string };

export interface PreauthInput {
  user: UserRef;
  trustedDeviceToken: string | null;
  supportsVerifiedPush: boolean;
}

export type PreauthResponse =
  | { result: "auth"; status_msg: string; devices: DeviceView[]; txid?: string; verification_code?: string; expiration?: number }
  | { result: "allow" | "deny"; status_msg: string }
  | { result: "enroll"; status_msg: string; enroll_portal_url: string };

export function findUser(context: EmulatorContext, ref: UserRef): User | undefined {
  return "user_id" in ref ? context.store.userById(ref.user_id) : context.store.userByName(ref.username);
}

export function preauth(context: EmulatorContext, input: PreauthInput): DuoResult<PreauthResponse> {
  const user = findUser(context, input.user);
  if (!user) {
    // A user_id is only ever issued by Duo, so an unknown one is a bad parameter (§2.2, 40002 `user_id`).
    if ("user_id" in input.user) return duoFail(40002, "user_id");
    return duoOk(unknownUser(context, input.user.username));
  }
  switch (user.status) {
    case "disabled":
      return duoOk({ result: "deny", status_msg: STATUS_MSG.denyDisabled });
    case "locked_out":
      return duoOk({ result: "deny", status_msg: STATUS_MSG.denyLockedOut });
    case "bypass":
      return duoOk({ result: "allow", status_msg: STATUS_MSG.allowBypassUser });
    case "active":
      break;
  }
  if (input.trustedDeviceToken !== null && rememberedDeviceValid(context, user, input.trustedDeviceToken)) {
    return duoOk({ result: "allow", status_msg: STATUS_MSG.allowRememberedDevice });
  }
  // A user who has no device yet is "partially enrolled": sent to enroll like a new user (§4.6).
  if (user.devices.length === 0) {
    return duoOk({ result: "enroll", status_msg: STATUS_MSG.enroll, enroll_portal_url: createPortal(context, user.username) });
  }
  const response: PreauthResponse = {
    result: "auth",
    status_msg: STATUS_MSG.accountActive,
    devices: user.devices.map((device) => deviceView(user, device)),
  };
  const canPush = user.devices.some((device) => device.capabilities.includes("push"));
  if (input.supportsVerifiedPush && context.policy.verifiedPush && canPush) {
    const txid = newTxid();
    const code = randomDigits(context.policy.verifiedPushDigits);
    const expires = context.now() + VERIFIED_PUSH_SECONDS * 1000;
    context.store.verifiedPushes.set(txid, { txid, user_id: user.user_id, code, expires });
    context.changed();
    return duoOk({ ...response, txid, verification_code: code, expiration: Math.floor(expires / 1000) });
  }
  return duoOk(response);
}

function unknownUser(context: EmulatorContext, username: string): PreauthResponse {
  switch (context.policy.newUserPolicy) {
    case "allow":
      return { result: "allow", status_msg: STATUS_MSG.allowUnknownUser };
    case "deny":
      return { result: "deny", status_msg: STATUS_MSG.denyUnknownUser };
    case "enroll":
      return { result: "enroll", status_msg: STATUS_MSG.enroll, enroll_portal_url: createPortal(context, username) };
  }
}

/** A token counts only for the user it was minted for, before it expires, while the policy is on. */
function rememberedDeviceValid(context: EmulatorContext, user: User, token: string): boolean {
  if (!context.policy.rememberedDevices) return false;
  const trusted = context.store.trustedDevices.get(token);
  if (!trusted) return false;
  if (trusted.expires <= context.now()) {
    context.store.trustedDevices.delete(token);
    return false;
  }
  return trusted.user_id === user.user_id;
}
