/**
 * Typed requests for the Auth API (shared/duo-auth-api.md §4) and their translation into Duo's
 * parameters. Every value is sent as a string, booleans as "1" (what the official clients send).
 */
import { DuoArgumentError } from "./errors";
import { encodeComponent } from "./signing";

/** Duo refuses a pushinfo whose URL-encoded form is 20,000 bytes or more (§7). */
export const MAX_PUSHINFO_BYTES = 20_000;
/** `device=auto`: Duo picks the user's first device with the needed capability. */
export const AUTO_DEVICE = "auto";

/** A Duo user, by exactly one of username (or alias) and permanent user ID. */
export type DuoUser = { username: string; userId?: never } | { userId: string; username?: never };

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's timeout for this call (per attempt). */
  timeoutMs?: number;
}

export interface PreauthOptions extends CallOptions {
  /** The end user's IP address, so network-based policies apply. */
  ipaddr?: string;
  hostname?: string;
  /** From an earlier allow with Remembered Devices; lets Duo answer allow. */
  trustedDeviceToken?: string;
  /** Say so only if the UI can show a Verified Push code (preauth then returns `verifiedPush`). */
  clientSupportsVerifiedPush?: boolean;
}

interface PushPresentation {
  /** Device ID with the needed capability, or "auto" (the default). */
  device?: string;
  /** Shown in the push ("<type>: <app>"). */
  type?: string;
  /** Shown instead of the Duo username. */
  displayUsername?: string;
  /** Key/value pairs shown in the push; URL-encoded they must stay under MAX_PUSHINFO_BYTES. */
  pushinfo?: Readonly<Record<string, string>>;
}

export type AuthFactor =
  | ({ factor: "auto" } & PushPresentation)
  | ({ factor: "push"; /** Verified Push: the txid preauth returned. */ txid?: string } & PushPresentation)
  | { factor: "passcode"; passcode: string }
  | { factor: "phone"; device?: string }
  /** Sends a new batch of SMS passcodes; always answers deny/sent. */
  | { factor: "sms"; device?: string };

export interface AuthCommon {
  ipaddr?: string;
  hostname?: string;
  /** Return `{ txid }` at once and poll authStatus, instead of blocking until the user answers. */
  async?: boolean;
}

export type AuthRequest = DuoUser & AuthCommon & AuthFactor;

export interface EnrollRequest {
  /** Omit to let Duo invent one. */
  username?: string;
  /** Lifetime of the activation code; Duo's default is 86,400 s. */
  validSecs?: number;
}

export type Params = Array<[string, string]>;

export function userParams(user: DuoUser): Params {
  const hasUsername = typeof user.username === "string";
  const hasUserId = typeof user.userId === "string";
  if (hasUsername === hasUserId) throw new DuoArgumentError("Pass exactly one of username and userId.");
  return hasUsername ? [["username", user.username ?? ""]] : [["user_id", user.userId ?? ""]];
}

export function preauthParams(user: DuoUser, options: PreauthOptions): Params {
  return [
    ...userParams(user),
    ...optional("ipaddr", options.ipaddr),
    ...optional("hostname", options.hostname),
    ...optional("trusted_device_token", options.trustedDeviceToken),
    ...(options.clientSupportsVerifiedPush ? ([["client_supports_verified_push", "1"]] as Params) : []),
  ];
}

export function authParams(request: AuthRequest): Params {
  const params: Params = [
    ...userParams(request),
    ["factor", request.factor],
    ...optional("ipaddr", request.ipaddr),
    ...optional("hostname", request.hostname),
    ...(request.async ? ([["async", "1"]] as Params) : []),
  ];
  switch (request.factor) {
    case "passcode":
      params.push(["passcode", request.passcode]);
      break;
    case "phone":
    case "sms":
      params.push(["device", request.device ?? AUTO_DEVICE]);
      break;
    case "push":
      params.push(...presentation(request), ...optional("txid", request.txid));
      break;
    case "auto":
      params.push(...presentation(request));
      break;
  }
  return params;
}

function presentation(request: PushPresentation): Params {
  return [
    ["device", request.device ?? AUTO_DEVICE],
    ...optional("type", request.type),
    ...optional("display_username", request.displayUsername),
    ...optional("pushinfo", request.pushinfo === undefined ? undefined : encodePushinfo(request.pushinfo)),
  ];
}

/** `k=v&k=v`, percent-encoded as in Duo's example (`from=login%20portal&domain=example.com`). */
export function encodePushinfo(pushinfo: Readonly<Record<string, string>>): string {
  const encoded = Object.entries(pushinfo)
    .map(([key, value]) => `${encodeComponent(key)}=${encodeComponent(value)}`)
    .join("&");
  if (Buffer.byteLength(encoded, "utf8") >= MAX_PUSHINFO_BYTES) {
    throw new DuoArgumentError(`pushinfo is ${Buffer.byteLength(encoded, "utf8")} bytes URL-encoded; Duo accepts under ${MAX_PUSHINFO_BYTES}.`);
  }
  return encoded;
}

export function enrollParams(request: EnrollRequest): Params {
  if (request.validSecs !== undefined && !(Number.isInteger(request.validSecs) && request.validSecs > 0)) {
    throw new DuoArgumentError("validSecs must be a positive whole number of seconds.");
  }
  return [...optional("username", request.username), ...optional("valid_secs", request.validSecs?.toString())];
}

function optional(key: string, value: string | undefined): Params {
  return value === undefined ? [] : [[key, value]];
}
