/**
 * The app's only way to Duo: a typed Auth API v2 client (shared/duo-auth-api.md). Every method resolves
 * to a `DuoResult` — expected failures (a FAIL envelope, a timeout, a dropped connection, a garbled answer,
 * an abort) are values, never exceptions. It does not log: what happened is in the value it returns.
 *
 *   const duo = createDuoClient(getConfig().duo);
 *   const pre = await duo.preauth({ username: "alice" }, { ipaddr });
 *   if (pre.ok && pre.value.result === "auth") await duo.auth({ username: "alice", factor: "push", async: true });
 */
import type { DuoConfig } from "../config/env";
import { MAX_BACKOFF_SECONDS } from "./backoff";
import { parseEnvelope } from "./envelope";
import { DuoProtocolError, type DuoResult } from "./errors";
import { type DuoEndpoint } from "./host";
import {
  authParams,
  enrollParams,
  preauthParams,
  type AuthCommon,
  type AuthRequest,
  type CallOptions,
  type DuoUser,
  type EnrollRequest,
  type PreauthOptions,
  type AuthFactor,
} from "./requests";
import { type SignatureDigest, type SignatureVersion } from "./signing";
import { defaultSleep, sendSigned, type DateHeaderName, type HttpMethod, type TransportSettings } from "./transport";
import {
  authSchema,
  authStartedSchema,
  authStatusSchema,
  enrollSchema,
  enrollStatusSchema,
  preauthSchema,
  timeSchema,
  type AuthResponse,
  type AuthStarted,
  type AuthStatusResponse,
  type DuoImage,
  type DuoTime,
  type EnrollResponse,
  type EnrollStatus,
  type PreauthResponse,
} from "./types";
import { z } from "zod";

/** Ordinary calls (ping, check, preauth, enroll, async auth) answer in well under a second. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** A synchronous /auth waits for the user: a push expires after 60 s, a phone call after about a minute. */
export const SYNC_AUTH_TIMEOUT_MS = 90_000;
/** /auth_status long-polls until the transaction changes, which can take until the push expires. */
export const AUTH_STATUS_TIMEOUT_MS = 90_000;

export const AUTH_API_PATHS = {
  ping: "/auth/v2/ping",
  check: "/auth/v2/check",
  logo: "/auth/v2/logo",
  enroll: "/auth/v2/enroll",
  enrollStatus: "/auth/v2/enroll_status",
  preauth: "/auth/v2/preauth",
  auth: "/auth/v2/auth",
  authStatus: "/auth/v2/auth_status",
} as const;

export interface DuoTimeouts {
  defaultMs: number;
  syncAuthMs: number;
  authStatusMs: number;
}

export interface DuoClientOptions {
  ikey: string;
  skey: string;
  endpoint: DuoEndpoint;
  /** 5 (HMAC-SHA512, JSON bodies) by default, as Duo's current clients; 2 for form bodies. */
  sigVersion?: SignatureVersion;
  /** Signature version 2 only: HMAC-SHA512 by default, HMAC-SHA1 as Duo's Postman collection signs. */
  digest?: SignatureDigest;
  /** `Date` by default; `X-Duo-Date` where a proxy rewrites Date (it then enters the v5 header hash). */
  dateHeader?: DateHeaderName;
  timeouts?: Partial<DuoTimeouts>;
  /** Give up on HTTP 429 once the next wait would exceed this (≤ 32, the official clients' cap; 0 = no retry). */
  maxBackoffSeconds?: number;
  /** Injectable for tests. */
  fetch?: typeof fetch;
  clock?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export class DuoClient {
  readonly endpoint: DuoEndpoint;
  readonly sigVersion: SignatureVersion;
  readonly timeouts: Readonly<DuoTimeouts>;
  readonly #transport: TransportSettings;

  constructor(options: DuoClientOptions) {
    this.endpoint = options.endpoint;
    this.sigVersion = options.sigVersion ?? 5;
    this.timeouts = {
      defaultMs: options.timeouts?.defaultMs ?? DEFAULT_TIMEOUT_MS,
      syncAuthMs: options.timeouts?.syncAuthMs ?? SYNC_AUTH_TIMEOUT_MS,
      authStatusMs: options.timeouts?.authStatusMs ?? AUTH_STATUS_TIMEOUT_MS,
    };
    // Kept private (#) so the secret key never shows up when the client is logged or inspected.
    this.#transport = {
      ikey: options.ikey,
      skey: options.skey,
      endpoint: options.endpoint,
      sigVersion: this.sigVersion,
      digest: options.digest ?? "sha512",
      dateHeader: options.dateHeader ?? "Date",
      fetch: options.fetch ?? globalThis.fetch,
      clock: options.clock ?? Date.now,
      sleep: options.sleep ?? defaultSleep,
      random: options.random ?? Math.random,
      maxBackoffSeconds: options.maxBackoffSeconds ?? MAX_BACKOFF_SECONDS,
    };
  }

  /** Liveness and Duo's clock; Duo does not check the signature. */
  async ping(options: CallOptions = {}): Promise<DuoResult<DuoTime>> {
    return this.#json("GET", AUTH_API_PATHS.ping, [], timeSchema, options);
  }

  /** Verifies the keys, the signature and the clock; answers Duo's time. */
  async check(options: CallOptions = {}): Promise<DuoResult<DuoTime>> {
    return this.#json("GET", AUTH_API_PATHS.check, [], timeSchema, options);
  }

  async logo(options: CallOptions = {}): Promise<DuoResult<DuoImage>> {
    return this.requestImage("GET", AUTH_API_PATHS.logo, [], options);
  }

  async enroll(request: EnrollRequest = {}, options: CallOptions = {}): Promise<DuoResult<EnrollResponse>> {
    return this.#json("POST", AUTH_API_PATHS.enroll, enrollParams(request), enrollSchema, options);
  }

  async enrollStatus(request: { userId: string; activationCode: string }, options: CallOptions = {}): Promise<DuoResult<EnrollStatus>> {
    const params: Array<[string, string]> = [
      ["user_id", request.userId],
      ["activation_code", request.activationCode],
    ];
    return this.#json("POST", AUTH_API_PATHS.enrollStatus, params, enrollStatusSchema, options);
  }

  async preauth(user: DuoUser, options: PreauthOptions = {}): Promise<DuoResult<PreauthResponse>> {
    return this.#json("POST", AUTH_API_PATHS.preauth, preauthParams(user, options), preauthSchema, options);
  }

  /** With `async: true`, answers `{ txid }` at once; poll authStatus(txid). */
  auth(request: DuoUser & AuthCommon & AuthFactor & { async: true }, options?: CallOptions): Promise<DuoResult<AuthStarted>>;
  /** Blocks until the user answers (up to SYNC_AUTH_TIMEOUT_MS), then answers allow or deny. */
  auth(request: DuoUser & AuthCommon & AuthFactor & { async?: false }, options?: CallOptions): Promise<DuoResult<AuthResponse>>;
  /** When `async` is only known at run time. */
  auth(request: AuthRequest, options?: CallOptions): Promise<DuoResult<AuthResponse | AuthStarted>>;
  async auth(request: AuthRequest, options: CallOptions = {}): Promise<DuoResult<AuthResponse | AuthStarted>> {
    const params = authParams(request);
    if (request.async) return this.#json("POST", AUTH_API_PATHS.auth, params, authStartedSchema, options);
    return this.#json("POST", AUTH_API_PATHS.auth, params, authSchema, options, this.timeouts.syncAuthMs);
  }

  /** Long-polls: answers at once if the transaction changed since the last poll, else when it does. */
  async authStatus(txid: string, options: CallOptions = {}): Promise<DuoResult<AuthStatusResponse>> {
    return this.#json("GET", AUTH_API_PATHS.authStatus, [["txid", txid]], authStatusSchema, options, this.timeouts.authStatusMs);
  }

  /** Any signed JSON call, answering Duo's `response` untyped (for the CLI and for endpoints not wrapped here). */
  async request(method: HttpMethod, path: string, params: ReadonlyArray<readonly [string, string]> = [], options: CallOptions = {}): Promise<DuoResult<unknown>> {
    return this.#json(method, path, params, z.unknown(), options, this.#timeoutFor(path, params));
  }

  /** A signed call answered with an image (only /logo): the bytes, or Duo's FAIL envelope as an error. */
  async requestImage(method: HttpMethod, path: string, params: ReadonlyArray<readonly [string, string]> = [], options: CallOptions = {}): Promise<DuoResult<DuoImage>> {
    const context = { method, path };
    const raw = await sendSigned(this.#transport, { method, path, params, timeoutMs: options.timeoutMs ?? this.timeouts.defaultMs, signal: options.signal });
    if (!raw.ok) return raw;
    const { status, mediaType, body } = raw.value;
    if (status === 200 && mediaType.startsWith("image/")) return { ok: true, value: { mediaType, bytes: body } };
    if (mediaType === "application/json") {
      const parsed = parseEnvelope(raw.value, z.never(), context);
      // A stat-OK JSON answer is not an image either.
      if (parsed.ok || parsed.error.kind !== "api") {
        return { ok: false, error: new DuoProtocolError({ problem: "unexpected-content-type", httpStatus: status, detail: "JSON where an image was expected" }, context) };
      }
      return parsed;
    }
    return { ok: false, error: new DuoProtocolError({ problem: "unexpected-content-type", httpStatus: status, detail: `Content-Type "${mediaType || "(none)"}" instead of an image` }, context) };
  }

  #timeoutFor(path: string, params: ReadonlyArray<readonly [string, string]>): number {
    if (path === AUTH_API_PATHS.authStatus) return this.timeouts.authStatusMs;
    const isAsync = params.some(([key, value]) => key === "async" && value !== "0" && value !== "");
    if (path === AUTH_API_PATHS.auth && !isAsync) return this.timeouts.syncAuthMs;
    return this.timeouts.defaultMs;
  }

  async #json<T>(
    method: HttpMethod,
    path: string,
    params: ReadonlyArray<readonly [string, string]>,
    schema: z.ZodType<T>,
    options: CallOptions,
    defaultTimeoutMs: number = this.timeouts.defaultMs,
  ): Promise<DuoResult<T>> {
    const raw = await sendSigned(this.#transport, { method, path, params, timeoutMs: options.timeoutMs ?? defaultTimeoutMs, signal: options.signal });
    if (!raw.ok) return raw;
    return parseEnvelope(raw.value, schema, { method, path });
  }
}

/** The app's client, from its validated configuration (lib/config/env.ts). */
export function createDuoClient(config: DuoConfig, overrides: Partial<DuoClientOptions> = {}): DuoClient {
  return new DuoClient({ ikey: config.ikey, skey: config.skey, endpoint: config.endpoint, sigVersion: config.sigVersion, ...overrides });
}
