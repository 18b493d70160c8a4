/**
 * What the Auth API returns (shared/duo-auth-api.md §4, §5), as zod schemas over Duo's snake_case JSON
 * and the camelCase values the client hands out.
 *
 * - Unions are discriminated on `result`; an unknown `result` is a protocol error, because every decision
 *   (let in, refuse, enroll) hangs on it and guessing would fail open.
 * - `status`, capabilities and device types are open: Duo says enumerations grow, so an unknown string
 *   is kept as a string and never crashes the parse.
 * - Unknown fields are dropped (zod objects strip them), as Duo may add properties at any time.
 */
import { z } from "zod";

export type AuthStatus =
  | "calling"
  | "answered"
  | "pushed"
  | "push_failed"
  | "timeout"
  | "fraud"
  | "allow"
  | "bypass"
  | "deny"
  | "locked_out"
  | "sent"
  | (string & {});
export type Capability = "auto" | "push" | "sms" | "phone" | "mobile_otp" | (string & {});
export type DeviceType = "phone" | "token" | (string & {});
export type EnrollStatus = "success" | "invalid" | "waiting" | (string & {});

export interface DuoTime {
  /** Duo's clock, Unix seconds. */
  time: number;
}

export interface DuoDevice {
  /** `DP…` for phones, `DH…` for hardware tokens; opaque. */
  device: string;
  type: DeviceType | undefined;
  name: string | undefined;
  /** Masked, e.g. `XXX-XXX-4788`; absent for tokens, `""` for tablets. */
  number: string | undefined;
  displayName: string | undefined;
  /** Empty for hardware tokens, whose entries carry no capabilities at all. */
  capabilities: Capability[];
  /** Leading digit of the next SMS passcode, only while a batch is outstanding. */
  smsNextcode: string | undefined;
}

export interface VerifiedPush {
  /** Pass to auth({ factor: "push", txid }). */
  txid: string;
  /** Show it to the user, who types it into Duo Mobile. */
  verificationCode: string;
  /** Unix seconds; 60 s after preauth. */
  expiration: number | undefined;
}

export type PreauthResponse =
  | { result: "auth"; statusMsg: string; devices: DuoDevice[]; verifiedPush: VerifiedPush | undefined }
  | { result: "allow"; statusMsg: string }
  | { result: "deny"; statusMsg: string }
  | { result: "enroll"; statusMsg: string; enrollPortalUrl: string | undefined };

export type AuthResponse =
  | { result: "allow"; status: AuthStatus; statusMsg: string; trustedDeviceToken: string | undefined }
  | { result: "deny"; status: AuthStatus; statusMsg: string };

export interface AuthStarted {
  txid: string;
}

export type AuthStatusResponse = AuthResponse | { result: "waiting"; status: AuthStatus; statusMsg: string };

export interface EnrollResponse {
  activationBarcode: string;
  activationCode: string;
  activationUrl: string;
  /** Unix seconds. */
  expiration: number;
  userId: string;
  username: string;
}

export interface DuoImage {
  /** e.g. `image/png`. */
  mediaType: string;
  bytes: Uint8Array;
}

// ---- schemas over Duo's JSON ----

/** status_msg is always sent, but it is display text: a missing one must not fail a login. */
const statusMsg = z.string().default("");

export const timeSchema: z.ZodType<DuoTime> = z.object({ time: z.number() }).transform((r) => ({ time: r.time }));

const deviceSchema = z
  .object({
    device: z.string(),
    type: z.string().optional(),
    name: z.string().optional(),
    number: z.string().optional(),
    display_name: z.string().optional(),
    capabilities: z.array(z.string()).optional(),
    sms_nextcode: z.string().optional(),
  })
  .transform(
    (d): DuoDevice => ({
      device: d.device,
      type: d.type,
      name: d.name,
      number: d.number,
      displayName: d.display_name,
      capabilities: d.capabilities ?? [],
      smsNextcode: d.sms_nextcode,
    }),
  );

export const preauthSchema: z.ZodType<PreauthResponse> = z
  .discriminatedUnion("result", [
    z.object({
      result: z.literal("auth"),
      status_msg: statusMsg,
      devices: z.array(deviceSchema).default([]),
      txid: z.string().optional(),
      verification_code: z.string().optional(),
      expiration: z.number().optional(),
    }),
    z.object({ result: z.literal("allow"), status_msg: statusMsg }),
    z.object({ result: z.literal("deny"), status_msg: statusMsg }),
    z.object({ result: z.literal("enroll"), status_msg: statusMsg, enroll_portal_url: z.string().optional() }),
  ])
  .transform((r): PreauthResponse => {
    switch (r.result) {
      case "auth":
        return {
          result: "auth",
          statusMsg: r.status_msg,
          devices: r.devices,
          verifiedPush:
            r.txid !== undefined && r.verification_code !== undefined
              ? { txid: r.txid, verificationCode: r.verification_code, expiration: r.expiration }
              : undefined,
        };
      case "enroll":
        return { result: "enroll", statusMsg: r.status_msg, enrollPortalUrl: r.enroll_portal_url };
      default:
        return { result: r.result, statusMsg: r.status_msg };
    }
  });

const outcomeFields = {
  // Always sent; if ever missing, the result says the same thing.
  status: z.string().optional(),
  status_msg: statusMsg,
};
const allowSchema = z.object({ result: z.literal("allow"), ...outcomeFields, trusted_device_token: z.string().optional() });
const denySchema = z.object({ result: z.literal("deny"), ...outcomeFields });
const waitingSchema = z.object({ result: z.literal("waiting"), ...outcomeFields });

type RawOutcome = z.infer<typeof allowSchema> | z.infer<typeof denySchema> | z.infer<typeof waitingSchema>;

function toOutcome(r: z.infer<typeof allowSchema> | z.infer<typeof denySchema>): AuthResponse;
function toOutcome(r: RawOutcome): AuthStatusResponse;
function toOutcome(r: RawOutcome): AuthStatusResponse {
  const common = { status: r.status ?? r.result, statusMsg: r.status_msg };
  if (r.result === "allow") return { result: "allow", ...common, trustedDeviceToken: r.trusted_device_token };
  return { result: r.result, ...common };
}

/** Synchronous /auth answers allow or deny, never waiting. */
export const authSchema: z.ZodType<AuthResponse> = z.discriminatedUnion("result", [allowSchema, denySchema]).transform((r) => toOutcome(r));

export const authStartedSchema: z.ZodType<AuthStarted> = z.object({ txid: z.string().min(1) }).transform((r) => ({ txid: r.txid }));

export const authStatusSchema: z.ZodType<AuthStatusResponse> = z
  .discriminatedUnion("result", [allowSchema, denySchema, waitingSchema])
  .transform((r) => toOutcome(r));

export const enrollSchema: z.ZodType<EnrollResponse> = z
  .object({
    activation_barcode: z.string(),
    activation_code: z.string(),
    activation_url: z.string(),
    expiration: z.number(),
    user_id: z.string(),
    username: z.string(),
  })
  .transform((r) => ({
    activationBarcode: r.activation_barcode,
    activationCode: r.activation_code,
    activationUrl: r.activation_url,
    expiration: r.expiration,
    userId: r.user_id,
    username: r.username,
  }));

/** /enroll_status answers a bare string (§4.5). */
export const enrollStatusSchema: z.ZodType<EnrollStatus> = z.string();
