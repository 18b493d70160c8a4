/**
 * Test helpers for the emulator: start one on an ephemeral port, and send Auth API requests signed by the
 * independent reference signer (test/support/reference-signer.ts), over real HTTP on loopback.
 */
import http from "node:http";
import { referenceAuthorization, referenceParams } from "../support/reference-signer";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../lib/emulator/server";

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, dataDir: null, ...options });
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: unknown;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body with Transfer-Encoding: chunked, in two pieces. */
  chunked?: boolean;
  /** Abort the request (the client goes away). */
  signal?: AbortSignal;
}

/** A request with full control over headers (Host included), which fetch does not allow. */
export function rawRequest(port: number, request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const headers: Record<string, string> = { ...request.headers };
    if (body && !request.chunked) headers["Content-Length"] = String(body.length);
    const req = http.request({ host: "127.0.0.1", port, method: request.method, path: request.path, headers, agent: false, signal: request.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const all = Buffer.concat(chunks);
        const text = all.toString("utf8");
        let json: unknown = undefined;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: all, text, json });
      });
    });
    req.on("error", reject);
    if (body && request.chunked) {
      const middle = Math.floor(body.length / 2);
      req.write(body.subarray(0, middle));
      req.write(body.subarray(middle));
    } else if (body) {
      req.write(body);
    }
    req.end();
  });
}

export interface SignOptions {
  version?: 2 | 5;
  digest?: "sha1" | "sha512";
  /** Which header carries the date. */
  dateHeader?: "Date" | "X-Duo-Date";
  date?: string;
  /** The host line signed (default: the emulator's API host). */
  signedHost?: string;
  /** Sign a different method or path than the one sent (tampering tests). */
  signedMethod?: string;
  signedPath?: string;
  ikey?: string;
  skey?: string;
  /** v2 POST: send the parameters in the query instead of a form body (as Duo's Postman collection does). */
  paramsInQuery?: boolean;
  chunked?: boolean;
  /** Extra x-duo-* headers (v5 hashes them). */
  xDuoHeaders?: Record<string, string>;
  /** Change the request after signing (tampering tests). */
  tamper?: (request: RawRequest) => RawRequest;
}

export type Params = Record<string, string>;

/** Sends a signed Auth API request; GET parameters go in the query, POST ones in a form (v2) or JSON (v5) body. */
export function duoRequest(emulator: RunningEmulator, method: "GET" | "POST", path: string, params: Params = {}, options: SignOptions = {}): Promise<RawResponse> {
  const version = options.version ?? 5;
  const date = options.date ?? new Date().toUTCString();
  const pairs = Object.entries(params) as Array<[string, string]>;
  const headers: Record<string, string> = { ...options.xDuoHeaders };
  const dateHeader = options.dateHeader ?? "Date";
  headers[dateHeader] = date;
  const xDuo = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase().startsWith("x-duo-")));

  let target = path;
  let body: string | undefined;
  let signedParams: Array<[string, string]>;
  if (method === "GET" || (version === 2 && options.paramsInQuery)) {
    const query = new URLSearchParams(pairs).toString();
    if (query) target += `?${query}`;
    signedParams = pairs;
    if (method === "POST") body = "";
  } else if (version === 2) {
    body = referenceParams(pairs);
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    signedParams = pairs;
  } else {
    body = JSON.stringify(Object.fromEntries([...pairs].sort(([a], [b]) => (a < b ? -1 : 1))));
    headers["Content-Type"] = "application/json";
    signedParams = [];
  }
  headers.Authorization = referenceAuthorization({
    version,
    digest: options.digest,
    ikey: options.ikey ?? emulator.ikey,
    skey: options.skey ?? emulator.skey,
    date,
    method: options.signedMethod ?? method,
    host: options.signedHost ?? emulator.apiHost,
    path: options.signedPath ?? path,
    params: signedParams,
    body: version === 5 ? (body ?? "") : undefined,
    xDuoHeaders: version === 5 ? xDuo : undefined,
  });
  let request: RawRequest = { method, path: target, headers, body, chunked: options.chunked };
  if (options.tamper) request = options.tamper(request);
  return rawRequest(emulator.port, request);
}

/** The `response` of an OK envelope; fails the test with the body otherwise. */
export function okResponse<T = Record<string, unknown>>(response: RawResponse): T {
  const body = response.json as { stat?: string; response?: T } | undefined;
  if (response.status !== 200 || body?.stat !== "OK") throw new Error(`expected OK, got ${response.status} ${response.text}`);
  return body.response as T;
}

export function failCode(response: RawResponse): { status: number; code: unknown; message: unknown; detail: unknown } {
  const body = response.json as { stat?: string; code?: unknown; message?: unknown; message_detail?: unknown } | undefined;
  return { status: response.status, code: body?.code, message: body?.message, detail: body?.message_detail };
}

/** Control API call (JSON). */
export async function control(emulator: RunningEmulator, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${emulator.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

/** A user with one smartphone (push, phone, sms, mobile_otp), created through the control API. */
export async function userWithPhone(emulator: RunningEmulator, username: string, extra: Record<string, unknown> = {}): Promise<{ user_id: string; device: string }> {
  const created = await control(emulator, "POST", "/users", { username, devices: [{ type: "phone" }], ...extra });
  if (created.status !== 201) throw new Error(`could not create ${username}: ${JSON.stringify(created.json)}`);
  const user = created.json as { user_id: string; devices: Array<{ device: string }> };
  return { user_id: user.user_id, device: user.devices[0]?.device ?? "" };
}

/** Polls the control API until the user has a waiting transaction, and returns its txid. */
export async function waitForPending(emulator: RunningEmulator, user: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const list = await control(emulator, "GET", `/users/${encodeURIComponent(user)}/transactions`);
    const pending = (list.json as Array<{ txid: string; result: string }>).find((t) => t.result === "waiting");
    if (pending) return pending.txid;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no pending transaction for ${user}`);
}
