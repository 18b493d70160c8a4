/**
 * The emulator's DUO_EMULATOR_* environment variables, validated with zod. Unset means the documented
 * default (constants.ts, core/policy.ts). Used by `npm run emulator` and `npm run dev`.
 */
import { z } from "zod";
import { DEFAULT_LISTEN_HOST, CLOCK_SKEW_SECONDS } from "./constants";
import { NEW_USER_POLICIES } from "./core/model";
import { DEFAULT_POLICY, type Policy } from "./core/policy";
import type { EmulatorOptions } from "./server";
import { emulatorDataDir, emulatorKeys, emulatorPort } from "./settings";

export class EmulatorConfigError extends Error {
  override readonly name = "EmulatorConfigError";
  constructor(readonly problems: string[]) {
    super(`The emulator's configuration is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

const seconds = z.coerce.number().positive().max(366 * 86_400);
const onOff = z
  .enum(["on", "off", "true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "on" || value === "true" || value === "1" || value === "yes");

const envSchema = z.object({
  DUO_EMULATOR_LISTEN_HOST: z.string().min(1).default(DEFAULT_LISTEN_HOST),
  DUO_EMULATOR_API_HOST: z
    .string()
    .regex(/^[a-z0-9.-]+$|^\[[0-9a-f:]+\]$/i, { error: "must be a host name without scheme or port" })
    .optional(),
  DUO_EMULATOR_CLOCK_SKEW_SECONDS: seconds.default(CLOCK_SKEW_SECONDS),
  DUO_EMULATOR_PUSH_TIMEOUT_SECONDS: seconds.default(DEFAULT_POLICY.pushTimeoutSeconds),
  DUO_EMULATOR_CALL_TIMEOUT_SECONDS: seconds.default(DEFAULT_POLICY.callTimeoutSeconds),
  DUO_EMULATOR_LONG_POLL_SECONDS: seconds.default(DEFAULT_POLICY.longPollSeconds),
  DUO_EMULATOR_NEW_USER_POLICY: z.enum(NEW_USER_POLICIES).default(DEFAULT_POLICY.newUserPolicy),
  DUO_EMULATOR_REMEMBERED_DEVICES: onOff.default(DEFAULT_POLICY.rememberedDevices),
  DUO_EMULATOR_REMEMBERED_DEVICE_SECONDS: seconds.default(DEFAULT_POLICY.rememberedDeviceSeconds),
  DUO_EMULATOR_VERIFIED_PUSH: onOff.default(DEFAULT_POLICY.verifiedPush),
  DUO_EMULATOR_VERIFIED_PUSH_DIGITS: z.coerce.number().int().min(3).max(6).default(DEFAULT_POLICY.verifiedPushDigits),
  DUO_EMULATOR_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(DEFAULT_POLICY.lockoutThreshold),
  DUO_EMULATOR_SMS_BATCH_SIZE: z.coerce.number().int().min(1).max(10).default(DEFAULT_POLICY.smsBatchSize),
});

/** Treats empty variables as unset, as shells and .env files often leave them. */
function present(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""));
}

export function emulatorOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): EmulatorOptions {
  const parsed = envSchema.safeParse(present(env));
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
  let port = 0;
  try {
    port = emulatorPort(env);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  if (!parsed.success || problems.length > 0) throw new EmulatorConfigError(problems);
  const vars = parsed.data;
  const policy: Policy = {
    newUserPolicy: vars.DUO_EMULATOR_NEW_USER_POLICY,
    pushTimeoutSeconds: vars.DUO_EMULATOR_PUSH_TIMEOUT_SECONDS,
    callTimeoutSeconds: vars.DUO_EMULATOR_CALL_TIMEOUT_SECONDS,
    longPollSeconds: vars.DUO_EMULATOR_LONG_POLL_SECONDS,
    rememberedDevices: vars.DUO_EMULATOR_REMEMBERED_DEVICES,
    rememberedDeviceSeconds: vars.DUO_EMULATOR_REMEMBERED_DEVICE_SECONDS,
    verifiedPush: vars.DUO_EMULATOR_VERIFIED_PUSH,
    verifiedPushDigits: vars.DUO_EMULATOR_VERIFIED_PUSH_DIGITS,
    lockoutThreshold: vars.DUO_EMULATOR_LOCKOUT_THRESHOLD,
    smsBatchSize: vars.DUO_EMULATOR_SMS_BATCH_SIZE,
    hotpLookAhead: DEFAULT_POLICY.hotpLookAhead,
  };
  return {
    listenHost: vars.DUO_EMULATOR_LISTEN_HOST,
    port,
    ...(vars.DUO_EMULATOR_API_HOST ? { apiHost: vars.DUO_EMULATOR_API_HOST } : {}),
    dataDir: emulatorDataDir(env),
    ...emulatorKeys(env),
    clockSkewSeconds: vars.DUO_EMULATOR_CLOCK_SKEW_SECONDS,
    policy,
  };
}
