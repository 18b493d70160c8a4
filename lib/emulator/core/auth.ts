/**
 * /auth and /auth_status (§4.7, §4.8, §8.4). Every factor creates a transaction, so sync and async work
 * the same way for all of them: sync waits for the transaction's final step, async returns its txid.
 *
 *   push     pushed → allow | deny | fraud | timeout
 *   phone    calling → answered → allow | deny | fraud; calling → timeout
 *   passcode allow | deny | locked_out, at once
 *   sms      sent (result deny), at once
 */
import { newTrustedDeviceToken, newTxid } from "../ids";
import type { EmulatorContext } from "./context";
import { duoFail, duoOk, type DuoResult } from "./duo-errors";
import { STATUS_MSG } from "./messages";
import { currentStep, isFinal, type AuthFactor, type Capability, type Device, type Step, type Transaction, type User } from "./model";
import { consumePasscode, newSmsBatch } from "./passcodes";
import { findUser, type UserRef } from "./preauth";
import { maskNumber } from "./users";

export const AUTH_FACTOR_PARAMS = ["auto", "push", "passcode", "sms", "phone"] as const;
export type AuthFactorParam = (typeof AUTH_FACTOR_PARAMS)[number];

export interface AuthInput {
  user: UserRef;
  factor: AuthFactorParam;
  /** Required for every factor but passcode (the parameter layer checks presence). */
  device: string | null;
  passcode: string | null;
  pushinfo: Array<[string, string]>;
  type: string | null;
  displayUsername: string | null;
  ipaddr: string | null;
  hostname: string | null;
  /** Verified Duo Push: the txid /preauth issued. */
  txid: string | null;
}

export interface AuthOutcome {
  result: "allow" | "deny";
  status: string;
  status_msg: string;
  trusted_device_token?: string;
}

export interface AuthStatusResponse {
  auth_delayed: false;
  result: "allow" | "deny" | "waiting";
  status: string;
  status_msg: string;
  trusted_device_token?: string;
}

type NewStep = Omit<Step, "at">;

export function startAuth(context: EmulatorContext, input: AuthInput): DuoResult<Transaction> {
  const user = findUser(context, input.user);
  if (!user) return duoFail(40002, "user_id" in input.user ? "user_id" : "username");

  const base = {
    user_id: user.user_id,
    created: context.now(),
    polledVersion: 0,
    pushinfo: input.pushinfo,
    type: input.type,
    displayUsername: input.displayUsername,
    ipaddr: input.ipaddr,
    hostname: input.hostname,
    verificationCode: null,
    trustedDeviceToken: null,
  };

  // The account's status decides before any device is looked at (§5 `bypass`, `locked_out`).
  const gate = statusGate(user);
  if (gate !== null) {
    const factor: AuthFactor = input.factor === "auto" ? "push" : input.factor;
    return duoOk(begin(context, { ...base, txid: newTxid(), factor, device: null, expires: null, steps: [] }, gate));
  }

  if (input.factor === "passcode") {
    const transaction: Transaction = { ...base, txid: newTxid(), factor: "passcode", device: null, expires: null, steps: [] };
    return duoOk(begin(context, transaction, checkPasscode(context, user, input.passcode ?? "")));
  }

  const chosen = chooseDevice(user, input.factor, input.device ?? "auto");
  if (!chosen.ok) return chosen;
  const { device, factor } = chosen.value;

  if (factor === "sms") {
    user.sms = newSmsBatch(device.device, context.policy.smsBatchSize, context.now());
    const transaction: Transaction = { ...base, txid: newTxid(), factor, device: device.device, expires: null, steps: [] };
    return duoOk(begin(context, transaction, { result: "deny", status: "sent", status_msg: STATUS_MSG.smsSent }));
  }

  if (factor === "phone") {
    const expires = context.now() + context.policy.callTimeoutSeconds * 1000;
    const transaction: Transaction = { ...base, txid: newTxid(), factor, device: device.device, expires, steps: [] };
    return duoOk(begin(context, transaction, { result: "waiting", status: "calling", status_msg: STATUS_MSG.calling(maskNumber(device.number)) }));
  }

  let txid = newTxid();
  let verificationCode: string | null = null;
  if (input.txid !== null) {
    const pending = context.store.verifiedPushes.get(input.txid);
    // The txid is single-use and bound to the user /preauth issued it for, so it cannot be replayed.
    if (!pending || pending.user_id !== user.user_id || pending.expires <= context.now()) return duoFail(40002, "txid");
    context.store.verifiedPushes.delete(input.txid);
    txid = pending.txid;
    verificationCode = pending.code;
  }
  const expires = context.now() + context.policy.pushTimeoutSeconds * 1000;
  const pushed: NewStep = {
    result: "waiting",
    status: "pushed",
    status_msg: verificationCode === null ? STATUS_MSG.pushed : STATUS_MSG.verifiedPushed(verificationCode),
  };
  return duoOk(begin(context, { ...base, txid, factor: "push", device: device.device, expires, steps: [], verificationCode }, pushed));
}

function begin(context: EmulatorContext, transaction: Transaction, first: NewStep): Transaction {
  transaction.steps.push({ ...first, at: context.now() });
  if (first.result === "allow") transaction.trustedDeviceToken = mintTrustedDevice(context, transaction.user_id);
  context.book.start(transaction);
  return transaction;
}

function statusGate(user: User): NewStep | null {
  switch (user.status) {
    case "active":
      return null;
    case "bypass":
      return { result: "allow", status: "bypass", status_msg: STATUS_MSG.allow };
    case "disabled":
      return { result: "deny", status: "deny", status_msg: STATUS_MSG.denyDisabled };
    case "locked_out":
      return { result: "deny", status: "locked_out", status_msg: STATUS_MSG.denyLockedOut };
  }
}

/**
 * `device=auto` takes the first device able to do the factor; `factor=auto` means push when the device
 * has push, else a phone call (§4.7, §8.4).
 */
function chooseDevice(
  user: User,
  factor: Exclude<AuthFactorParam, "passcode">,
  deviceParam: string,
): DuoResult<{ device: Device; factor: "push" | "phone" | "sms" }> {
  const resolve = (device: Device): "push" | "phone" | "sms" | null => {
    if (factor !== "auto") return device.capabilities.includes(factor as Capability) ? factor : null;
    if (device.capabilities.includes("push")) return "push";
    if (device.capabilities.includes("phone")) return "phone";
    return null;
  };
  if (deviceParam === "auto") {
    for (const device of user.devices) {
      const resolved = resolve(device);
      if (resolved !== null) return duoOk({ device, factor: resolved });
    }
    return duoFail(40002, "no capable device");
  }
  const device = user.devices.find((d) => d.device === deviceParam);
  if (!device) return duoFail(40002, "device");
  const resolved = resolve(device);
  return resolved === null ? duoFail(40002, "no capable device") : duoOk({ device, factor: resolved });
}

function checkPasscode(context: EmulatorContext, user: User, passcode: string): NewStep {
  const kind = consumePasscode(user, passcode, context.now(), context.policy.hotpLookAhead);
  if (kind !== null) {
    user.failedAttempts = 0;
    return { result: "allow", status: "allow", status_msg: STATUS_MSG.allow };
  }
  user.failedAttempts += 1;
  // Counting and locking in the same tick as the check: parallel guesses cannot slip past the threshold.
  if (user.failedAttempts >= context.policy.lockoutThreshold) {
    user.status = "locked_out";
    return { result: "deny", status: "locked_out", status_msg: STATUS_MSG.denyLockedOut };
  }
  return { result: "deny", status: "deny", status_msg: STATUS_MSG.incorrectPasscode };
}

function mintTrustedDevice(context: EmulatorContext, userId: string): string | null {
  if (!context.policy.rememberedDevices) return null;
  const token = newTrustedDeviceToken();
  context.store.trustedDevices.set(token, { token, user_id: userId, expires: context.now() + context.policy.rememberedDeviceSeconds * 1000 });
  return token;
}

/** Moves a transaction on; an allow also mints the Remembered Devices token when the policy is on. */
export function advance(context: EmulatorContext, transaction: Transaction, step: NewStep): void {
  if (step.result === "allow" && transaction.trustedDeviceToken === null) {
    transaction.trustedDeviceToken = mintTrustedDevice(context, transaction.user_id);
  }
  context.book.advance(transaction, step);
}

/** A push or call nobody answered in time: deny / timeout (§5, observed). */
export function expire(context: EmulatorContext, transaction: Transaction): void {
  advance(context, transaction, { result: "deny", status: "timeout", status_msg: STATUS_MSG.timeout });
}

export function outcomeOf(transaction: Transaction): AuthOutcome | null {
  const step = currentStep(transaction);
  if (step.result === "waiting") return null;
  return {
    result: step.result,
    status: step.status,
    status_msg: step.status_msg,
    ...(step.result === "allow" && transaction.trustedDeviceToken !== null ? { trusted_device_token: transaction.trustedDeviceToken } : {}),
  };
}

/** Synchronous /auth: waits for the final step. Null if the client left or the emulator was reset. */
export async function finalOutcome(context: EmulatorContext, transaction: Transaction, signal: AbortSignal): Promise<AuthOutcome | null> {
  await context.book.waitForFinal(transaction, signal);
  return outcomeOf(transaction);
}

/**
 * /auth_status long-poll: answers at once with a version the caller has not seen (or a final state),
 * otherwise holds the request until the transaction changes or the long-poll limit passes.
 */
export async function authStatus(context: EmulatorContext, txid: string, signal: AbortSignal): Promise<DuoResult<AuthStatusResponse>> {
  const transaction = context.store.transactions.get(txid);
  // Unknown txid: 40002 `txid` (UNCONFIRMED, §8.4).
  if (!transaction) return duoFail(40002, "txid");
  if (!isFinal(transaction)) {
    await context.book.waitForChange(transaction, transaction.polledVersion, context.policy.longPollSeconds * 1000, signal);
  }
  if (!signal.aborted) transaction.polledVersion = transaction.steps.length;
  const step = currentStep(transaction);
  return duoOk({
    auth_delayed: false,
    result: step.result,
    status: step.status,
    status_msg: step.status_msg,
    ...(step.result === "allow" && transaction.trustedDeviceToken !== null ? { trusted_device_token: transaction.trustedDeviceToken } : {}),
  });
}
