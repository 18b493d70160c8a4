/**
 * What the emulator remembers (shared/duo-auth-api.md §8.3), as zod schemas because the snapshot file is
 * external input on the next start. Times are Unix milliseconds; ids follow Duo's formats (ids.ts).
 */
import { z } from "zod";

export const USER_STATUSES = ["active", "bypass", "disabled", "locked_out"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const CAPABILITIES = ["auto", "push", "sms", "phone", "mobile_otp"] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const NEW_USER_POLICIES = ["enroll", "allow", "deny"] as const;
export type NewUserPolicy = (typeof NEW_USER_POLICIES)[number];

const hotpSchema = z.object({
  /** Base32 secret shared by the server and the (virtual) device. */
  secret: z.string().min(16),
  /** The next counter the server accepts; codes below it are spent. */
  counter: z.number().int().nonnegative(),
  /** The counter the device displays; "new passcode" on the phone moves it ahead of `counter`. */
  displayCounter: z.number().int().nonnegative(),
});

export const deviceSchema = z.object({
  device: z.string(),
  type: z.enum(["phone", "token"]),
  name: z.string(),
  /** Full number, E.164; only the masked form is ever sent to Auth API clients. Empty for tokens. */
  number: z.string(),
  platform: z.string(),
  capabilities: z.array(z.enum(CAPABILITIES)),
  hotp: hotpSchema,
  /** True for devices activated by "scanning" (the virtual phone lists these). */
  onPhone: z.boolean(),
  created: z.number(),
});
export type Device = z.infer<typeof deviceSchema>;

const bypassCodeSchema = z.object({
  code: z.string(),
  /** null: never expires. */
  expires: z.number().nullable(),
  /** null: unlimited uses. */
  remainingUses: z.number().int().positive().nullable(),
});
export type BypassCode = z.infer<typeof bypassCodeSchema>;

const smsBatchSchema = z.object({
  device: z.string(),
  codes: z.array(z.string()).min(1),
  /** Index of the next code that may be used; codes before it are spent or skipped. */
  next: z.number().int().nonnegative(),
  sent: z.number(),
});
export type SmsBatch = z.infer<typeof smsBatchSchema>;

export const userSchema = z.object({
  user_id: z.string(),
  username: z.string(),
  aliases: z.array(z.string()),
  status: z.enum(USER_STATUSES),
  devices: z.array(deviceSchema),
  bypassCodes: z.array(bypassCodeSchema),
  sms: smsBatchSchema.nullable(),
  failedAttempts: z.number().int().nonnegative(),
  created: z.number(),
});
export type User = z.infer<typeof userSchema>;

const enrollmentSchema = z.object({
  /** The 20-character code part of `duo://<code>-<host>`. */
  code: z.string(),
  user_id: z.string(),
  expires: z.number(),
  claimed: z.number().nullable(),
  device: z.string().nullable(),
});
export type Enrollment = z.infer<typeof enrollmentSchema>;

export const AUTH_FACTORS = ["push", "phone", "passcode", "sms"] as const;
export type AuthFactor = (typeof AUTH_FACTORS)[number];

const stepSchema = z.object({
  result: z.enum(["allow", "deny", "waiting"]),
  status: z.string(),
  status_msg: z.string(),
  at: z.number(),
});
export type Step = z.infer<typeof stepSchema>;

export const transactionSchema = z.object({
  txid: z.string(),
  user_id: z.string(),
  factor: z.enum(AUTH_FACTORS),
  device: z.string().nullable(),
  created: z.number(),
  /** When a push or call times out; null for factors that finish at once. */
  expires: z.number().nullable(),
  /** Every state the transaction went through; its length is the version auth_status compares. */
  steps: z.array(stepSchema).min(1),
  /** The version the last /auth_status answer carried (§8.4). */
  polledVersion: z.number().int().nonnegative(),
  pushinfo: z.array(z.tuple([z.string(), z.string()])),
  type: z.string().nullable(),
  displayUsername: z.string().nullable(),
  ipaddr: z.string().nullable(),
  hostname: z.string().nullable(),
  /** Verified Duo Push: the code the phone must enter to approve. */
  verificationCode: z.string().nullable(),
  trustedDeviceToken: z.string().nullable(),
});
export type Transaction = z.infer<typeof transactionSchema>;

const trustedDeviceSchema = z.object({ token: z.string(), user_id: z.string(), expires: z.number() });
export type TrustedDevice = z.infer<typeof trustedDeviceSchema>;

const verifiedPushSchema = z.object({ txid: z.string(), user_id: z.string(), code: z.string(), expires: z.number() });
export type PendingVerifiedPush = z.infer<typeof verifiedPushSchema>;

const portalSchema = z.object({ code: z.string(), username: z.string(), expires: z.number(), used: z.boolean() });
export type EnrollPortal = z.infer<typeof portalSchema>;

export const SNAPSHOT_FORMAT = 1;

export const snapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  users: z.array(userSchema),
  enrollments: z.array(enrollmentSchema),
  transactions: z.array(transactionSchema),
  trustedDevices: z.array(trustedDeviceSchema),
  verifiedPushes: z.array(verifiedPushSchema),
  portals: z.array(portalSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export function emptySnapshot(): Snapshot {
  return { format: SNAPSHOT_FORMAT, users: [], enrollments: [], transactions: [], trustedDevices: [], verifiedPushes: [], portals: [] };
}

export function isFinal(transaction: Transaction): boolean {
  return currentStep(transaction).result !== "waiting";
}

export function currentStep(transaction: Transaction): Step {
  // steps is never empty (schema .min(1), and every transaction is created with its first step).
  return transaction.steps[transaction.steps.length - 1] as Step;
}
