/** The Auth API v2 endpoints (shared/duo-auth-api.md §4): parameters in, domain call, `response` out. */
import { z } from "zod";
import { ENROLL_MAX_VALID_SECONDS, ENROLL_VALID_SECONDS, PUSHINFO_MAX_BYTES, BYPASS_CODES_MAX_PER_REQUEST } from "../constants";
import { AUTH_FACTOR_PARAMS, authStatus, finalOutcome, startAuth } from "../core/auth";
import type { EmulatorContext } from "../core/context";
import { duoFail, duoOk, type DuoFailure, type DuoResult } from "../core/duo-errors";
import { enroll, enrollStatus } from "../core/enrollment";
import { preauth } from "../core/preauth";
import { flag, ipaddr, positiveInteger, text, userRef, USERNAME_MAX_LENGTH, validate, type Params } from "./params";

export interface ApiContext extends EmulatorContext {
  /** The account logo served by /logo; null answers 404/40401 (UNCONFIRMED, §4.3). */
  logo: Uint8Array | null;
}

export type Reply = { kind: "ok"; value: unknown } | { kind: "fail"; failure: DuoFailure } | { kind: "png"; bytes: Uint8Array };

type Handler = (context: ApiContext, params: Params, signal: AbortSignal) => Reply | Promise<Reply>;

export interface Endpoint {
  method: "GET" | "POST";
  signed: boolean;
  handle: Handler;
}

const reply = <T>(result: DuoResult<T>): Reply => (result.ok ? { kind: "ok", value: result.value } : { kind: "fail", failure: result.failure });
const nowSeconds = (context: EmulatorContext) => Math.floor(context.now() / 1000);

const enrollSchema = z.object({
  username: z.string().trim().min(1).max(USERNAME_MAX_LENGTH).optional(),
  valid_secs: positiveInteger(ENROLL_MAX_VALID_SECONDS).optional(),
  bypass_codes: positiveInteger(BYPASS_CODES_MAX_PER_REQUEST).optional(),
});

const enrollStatusSchema = z.object({
  user_id: z.string().min(1).max(64),
  activation_code: z.string().min(1).max(512),
});

const preauthSchema = z.object({
  ipaddr: ipaddr.optional(),
  hostname: text.optional(),
  trusted_device_token: z.string().max(512).optional(),
  client_supports_verified_push: flag.optional(),
});

const authSchema = z.object({
  factor: z.enum(AUTH_FACTOR_PARAMS),
  async: flag.optional(),
  device: z.string().min(1).max(64).optional(),
  passcode: z.string().max(64).optional(),
  pushinfo: z
    .string()
    .refine((value) => Buffer.byteLength(value, "utf8") < PUSHINFO_MAX_BYTES)
    .optional(),
  type: text.optional(),
  display_username: text.optional(),
  ipaddr: ipaddr.optional(),
  hostname: text.optional(),
  txid: z.string().min(1).max(64).optional(),
});

const authStatusSchema = z.object({ txid: z.string().min(1).max(64) });

export const ENDPOINTS: Readonly<Record<string, Endpoint>> = {
  "/auth/v2/ping": { method: "GET", signed: false, handle: (context) => ({ kind: "ok", value: { time: nowSeconds(context) } }) },

  "/auth/v2/check": { method: "GET", signed: true, handle: (context) => ({ kind: "ok", value: { time: nowSeconds(context) } }) },

  "/auth/v2/logo": {
    method: "GET",
    signed: true,
    handle: (context) => (context.logo === null ? { kind: "fail", failure: { code: 40401, detail: "logo" } } : { kind: "png", bytes: context.logo }),
  },

  "/auth/v2/enroll": {
    method: "POST",
    signed: true,
    handle: (context, params) => {
      const input = validate(enrollSchema, params);
      if (!input.ok) return reply(input);
      return reply(
        enroll(context, {
          username: input.value.username ?? null,
          validSeconds: input.value.valid_secs ?? ENROLL_VALID_SECONDS,
          bypassCodes: input.value.bypass_codes ?? null,
        }),
      );
    },
  },

  "/auth/v2/enroll_status": {
    method: "POST",
    signed: true,
    handle: (context, params) => {
      const input = validate(enrollStatusSchema, params);
      if (!input.ok) return reply(input);
      return { kind: "ok", value: enrollStatus(context, input.value.user_id, input.value.activation_code) };
    },
  },

  "/auth/v2/preauth": {
    method: "POST",
    signed: true,
    handle: (context, params) => {
      const user = userRef(params);
      if (!user.ok) return reply(user);
      const input = validate(preauthSchema, params);
      if (!input.ok) return reply(input);
      return reply(
        preauth(context, {
          user: user.value,
          trustedDeviceToken: input.value.trusted_device_token ?? null,
          supportsVerifiedPush: input.value.client_supports_verified_push ?? false,
        }),
      );
    },
  },

  "/auth/v2/auth": {
    method: "POST",
    signed: true,
    handle: async (context, params, signal) => {
      const user = userRef(params);
      if (!user.ok) return reply(user);
      const input = validate(authSchema, params);
      if (!input.ok) return reply(input);
      const value = input.value;
      if (value.factor === "passcode" && value.passcode === undefined) return reply(duoFail(40001, "passcode"));
      if (value.factor !== "passcode" && value.device === undefined) return reply(duoFail(40001, "device"));
      const started = startAuth(context, {
        user: user.value,
        factor: value.factor,
        device: value.device ?? null,
        passcode: value.passcode ?? null,
        pushinfo: value.pushinfo === undefined ? [] : [...new URLSearchParams(value.pushinfo)],
        type: value.type ?? null,
        displayUsername: value.display_username ?? null,
        ipaddr: value.ipaddr ?? null,
        hostname: value.hostname ?? null,
        txid: value.txid ?? null,
      });
      if (!started.ok) return reply(started);
      if (value.async === true) return reply(duoOk({ txid: started.value.txid }));
      const outcome = await finalOutcome(context, started.value, signal);
      // Null only when the emulator was reset or closed while this request waited.
      return outcome === null ? reply(duoFail(50001)) : reply(duoOk(outcome));
    },
  },

  "/auth/v2/auth_status": {
    method: "GET",
    signed: true,
    handle: async (context, params, signal) => {
      const input = validate(authStatusSchema, params);
      if (!input.ok) return reply(input);
      return reply(await authStatus(context, input.value.txid, signal));
    },
  },
};
