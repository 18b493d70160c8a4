/**
 * One signed HTTP exchange with Duo: build and sign the request (§3), send it with a timeout and the
 * caller's AbortSignal, read the body under a size cap, and retry HTTP 429 with Duo's backoff (§2.3).
 * Nothing else is retried: a network error on /auth may come after Duo already pushed or called, so
 * a retry could send the user a second prompt.
 *
 * Returns the raw status, Content-Type and body; envelope.ts turns them into values.
 */
import { setTimeout as delay } from "node:timers/promises";
import { backoffAfter429, INITIAL_BACKOFF_SECONDS, BACKOFF_FACTOR, MAX_BACKOFF_SECONDS, parseRetryAfter } from "./backoff";
import {
  DuoAbortedError,
  DuoNetworkError,
  DuoProtocolError,
  DuoTimeoutError,
  type DuoFailure,
  type DuoRequestContext,
  type DuoResult,
} from "./errors";
import { type DuoEndpoint } from "./host";
import {
  authorizationHeader,
  canonicalize,
  canonicalParams,
  formatRequestDate,
  signCanonical,
  type ParamPairs,
  type SignatureDigest,
  type SignatureVersion,
} from "./signing";

/** Responses above this are refused; the largest legitimate one is the account logo. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const BODY_PREVIEW_CHARS = 200;
const RATE_LIMITED_STATUS = 429;
export const USER_AGENT = "duo-2fa-nextjs-client/1";

export type DateHeaderName = "Date" | "X-Duo-Date";
export type HttpMethod = "GET" | "POST";

export interface TransportSettings {
  ikey: string;
  skey: string;
  endpoint: DuoEndpoint;
  sigVersion: SignatureVersion;
  /** v2 only; v5 is always HMAC-SHA512. */
  digest: SignatureDigest;
  dateHeader: DateHeaderName;
  fetch: typeof fetch;
  /** Milliseconds since the epoch; dates the signature and reads Retry-After dates. */
  clock: () => number;
  /** Waits between 429 retries; must reject or return early when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1), for backoff jitter. */
  random: () => number;
  maxBackoffSeconds: number;
}

export interface DuoHttpRequest {
  method: HttpMethod;
  path: string;
  params: ParamPairs;
  /** Bounds each attempt, body included. Backoff waits between attempts are not counted. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface SignedRequest {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: string;
}

export interface DuoHttpResponse {
  status: number;
  /** The media type, lower-cased, without parameters ("" when absent). */
  mediaType: string;
  body: Uint8Array;
}

export const defaultSleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
  await delay(ms, undefined, { signal });
};

/**
 * The request exactly as it goes on the wire. GET parameters travel in the query; POST parameters in a
 * form body (v2) or a JSON object body (v5, `{}` when empty). The signed host is the configured API
 * hostname, never the address we connect to.
 */
export function signRequest(settings: TransportSettings, request: Pick<DuoHttpRequest, "method" | "path" | "params">, date: string): SignedRequest {
  const { method, path, params } = request;
  const headers: Record<string, string> = { [settings.dateHeader]: date, "User-Agent": USER_AGENT };
  const query = method === "GET" ? canonicalParams(params) : "";
  let body: string | undefined;
  let signature: string;

  if (settings.sigVersion === 5) {
    if (method === "POST") {
      body = jsonBody(params);
      headers["Content-Type"] = "application/json";
    }
    // The date header enters the v5 header hash when it is an x-duo-* header (duo_hmac_python does this).
    const duoHeaders: Record<string, string> = settings.dateHeader === "X-Duo-Date" ? { "x-duo-date": date } : {};
    const canonical = canonicalize(5, { date, method, host: settings.endpoint.signedHost, path, params: method === "GET" ? params : [], body: body ?? "", duoHeaders });
    signature = signCanonical(settings.skey, canonical, "sha512");
  } else {
    if (method === "POST") {
      // The canonical params line is itself a valid form encoding (%20 for spaces decodes the same as +).
      body = canonicalParams(params);
      headers["Content-Type"] = "application/x-www-form-urlencoded";
    }
    const canonical = canonicalize(2, { date, method, host: settings.endpoint.signedHost, path, params });
    signature = signCanonical(settings.skey, canonical, settings.digest);
  }
  headers.Authorization = authorizationHeader(settings.ikey, signature);
  return { url: `${settings.endpoint.origin}${path}${query ? `?${query}` : ""}`, method, headers, ...(body === undefined ? {} : { body }) };
}

/** Keys sorted like Python's json.dumps(sort_keys=True); a repeated key becomes an array, as Python sends a list. */
function jsonBody(params: ParamPairs): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const sorted = [...grouped.keys()].sort();
  const object: Record<string, string | string[]> = {};
  for (const key of sorted) {
    const values = grouped.get(key) ?? [];
    object[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return JSON.stringify(object);
}

/** Sends the request, retrying only HTTP 429, and returns Duo's raw answer or a typed failure. */
export async function sendSigned(settings: TransportSettings, request: DuoHttpRequest): Promise<DuoResult<DuoHttpResponse>> {
  const context: DuoRequestContext = { method: request.method, path: request.path };
  const maxBackoffSeconds = Math.min(settings.maxBackoffSeconds, MAX_BACKOFF_SECONDS);
  let waitSeconds = INITIAL_BACKOFF_SECONDS;
  for (;;) {
    if (request.signal?.aborted) return { ok: false, error: new DuoAbortedError(context) };
    const signed = signRequest(settings, request, formatRequestDate(new Date(settings.clock())));
    const attempt = await sendOnce(settings, signed, request, context);
    if (!attempt.ok || attempt.value.response.status !== RATE_LIMITED_STATUS) {
      return attempt.ok ? { ok: true, value: attempt.value.response } : attempt;
    }
    const retryAfterMs = parseRetryAfter(attempt.value.retryAfter, settings.clock());
    const decision = backoffAfter429(waitSeconds, retryAfterMs, settings.random, maxBackoffSeconds);
    if (!decision.retry) return { ok: true, value: attempt.value.response };
    try {
      await settings.sleep(decision.delayMs, request.signal);
    } catch {
      return { ok: false, error: new DuoAbortedError(context) };
    }
    waitSeconds *= BACKOFF_FACTOR;
  }
}

type AttemptResult = DuoResult<{ response: DuoHttpResponse; retryAfter: string | null }>;

async function sendOnce(settings: TransportSettings, signed: SignedRequest, request: DuoHttpRequest, context: DuoRequestContext): Promise<AttemptResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const onCallerAbort = () => controller.abort();
  request.signal?.addEventListener("abort", onCallerAbort, { once: true });
  const interrupted = (): DuoFailure | null =>
    timedOut ? new DuoTimeoutError(request.timeoutMs, context) : request.signal?.aborted ? new DuoAbortedError(context) : null;

  try {
    let response: Response;
    try {
      response = await settings.fetch(signed.url, {
        method: signed.method,
        headers: signed.headers,
        body: signed.body,
        // A redirect would carry the signed request to another origin; Duo never redirects.
        redirect: "manual",
        signal: controller.signal,
      });
    } catch (cause) {
      return { ok: false, error: interrupted() ?? new DuoNetworkError(cause, context) };
    }
    const httpStatus = response.status;
    if (httpStatus >= 300 && httpStatus < 400) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, error: new DuoProtocolError({ problem: "redirect", httpStatus, detail: `redirect to ${response.headers.get("location") ?? "(no location)"}` }, context) };
    }
    const body = await readBody(response, context, interrupted);
    if (!body.ok) return body;
    const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    return { ok: true, value: { response: { status: httpStatus, mediaType, body: body.value }, retryAfter: response.headers.get("retry-after") } };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener("abort", onCallerAbort);
  }
}

async function readBody(response: Response, context: DuoRequestContext, interrupted: () => DuoFailure | null): Promise<DuoResult<Uint8Array>> {
  const httpStatus = response.status;
  const declared = Number(response.headers.get("content-length") ?? "NaN");
  const tooLarge = () =>
    new DuoProtocolError({ problem: "body-too-large", httpStatus, detail: `body larger than ${MAX_RESPONSE_BYTES} bytes` }, context);
  if (declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, error: tooLarge() };
  }
  if (!response.body) return { ok: true, value: new Uint8Array() };

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_RESPONSE_BYTES) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, error: tooLarge() };
      }
      chunks.push(value);
    }
  } catch {
    const partial = Buffer.concat(chunks).toString("utf8", 0, BODY_PREVIEW_CHARS);
    return {
      ok: false,
      error:
        interrupted() ??
        new DuoProtocolError({ problem: "truncated-body", httpStatus, detail: `the connection closed after ${size} bytes of the body`, bodyPreview: partial }, context),
    };
  }
  return { ok: true, value: Buffer.concat(chunks) };
}

export function bodyPreview(body: Uint8Array): string {
  return Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, BODY_PREVIEW_CHARS * 4)).toString("utf8").slice(0, BODY_PREVIEW_CHARS);
}
