/**
 * The behaviour knobs an administrator would set in Duo's admin panel. Set at start (options or
 * DUO_EMULATOR_* variables) and changeable at run time through PUT /emulator/v1/policy, e.g. by a test.
 */
import { z } from "zod";
import {
  CALL_TIMEOUT_SECONDS,
  HOTP_LOOK_AHEAD,
  LOCKOUT_THRESHOLD,
  LONG_POLL_SECONDS,
  PUSH_TIMEOUT_SECONDS,
  REMEMBERED_DEVICE_SECONDS,
  SMS_BATCH_SIZE,
  VERIFIED_PUSH_DIGITS,
} from "../constants";
import { NEW_USER_POLICIES } from "./model";

const seconds = z.number().positive().max(86_400 * 366);

export const policySchema = z.strictObject({
  /** What /preauth answers for a username Duo has never seen (§4.6). */
  newUserPolicy: z.enum(NEW_USER_POLICIES),
  pushTimeoutSeconds: seconds,
  callTimeoutSeconds: seconds,
  /** The longest one /auth_status request is held. */
  longPollSeconds: seconds,
  /** Remembered Devices: /auth answers carry a trusted_device_token that /preauth then accepts. */
  rememberedDevices: z.boolean(),
  rememberedDeviceSeconds: seconds,
  /** Verified Duo Push, for clients that send client_supports_verified_push=1. */
  verifiedPush: z.boolean(),
  verifiedPushDigits: z.number().int().min(3).max(6),
  lockoutThreshold: z.number().int().min(1).max(1000),
  smsBatchSize: z.number().int().min(1).max(10),
  hotpLookAhead: z.number().int().min(0).max(100),
});

export type Policy = z.infer<typeof policySchema>;
export const policyPatchSchema = policySchema.partial();
export type PolicyPatch = z.infer<typeof policyPatchSchema>;

export const DEFAULT_POLICY: Policy = {
  newUserPolicy: "enroll",
  pushTimeoutSeconds: PUSH_TIMEOUT_SECONDS,
  callTimeoutSeconds: CALL_TIMEOUT_SECONDS,
  longPollSeconds: LONG_POLL_SECONDS,
  rememberedDevices: false,
  rememberedDeviceSeconds: REMEMBERED_DEVICE_SECONDS,
  verifiedPush: false,
  verifiedPushDigits: VERIFIED_PUSH_DIGITS,
  lockoutThreshold: LOCKOUT_THRESHOLD,
  smsBatchSize: SMS_BATCH_SIZE,
  hotpLookAhead: HOTP_LOOK_AHEAD,
};
