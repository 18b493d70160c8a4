/**
 * Where to send a user after sign-in. Only a same-origin relative path is followed; anything else (an
 * absolute URL, `//host`, `/\host`, an encoded or control-character variant, `javascript:`) falls back to
 * the home page, so a crafted link cannot bounce a fresh session off-site.
 */
export const DEFAULT_CALLBACK_URL = "/";
const MAX_CALLBACK_URL_LENGTH = 2048;
/** Decoding layers inspected for a hidden `//`, `\` or control character. */
const MAX_DECODE_DEPTH = 3;
const PROBE_ORIGIN = "http://callback.invalid";

// Pages a callback must not point back to: they would loop or make no sense after signing in.
const NOT_A_DESTINATION = [/^\/sign-in(\/|$)/, /^\/sign-up(\/|$)/, /^\/mfa(\/|$)/, /^\/api(\/|$)/];

export function safeCallbackUrl(raw: unknown): string {
  if (typeof raw !== "string" || raw === "" || raw.length > MAX_CALLBACK_URL_LENGTH) return DEFAULT_CALLBACK_URL;

  let layer = raw;
  for (let depth = 0; depth <= MAX_DECODE_DEPTH; depth++) {
    if (!looksLikeLocalPath(layer)) return DEFAULT_CALLBACK_URL;
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return DEFAULT_CALLBACK_URL;
    }
    if (decoded === layer) break;
    layer = decoded;
  }

  let url: URL;
  try {
    url = new URL(raw, PROBE_ORIGIN);
  } catch {
    return DEFAULT_CALLBACK_URL;
  }
  if (url.origin !== PROBE_ORIGIN) return DEFAULT_CALLBACK_URL;
  if (NOT_A_DESTINATION.some((pattern) => pattern.test(url.pathname))) return DEFAULT_CALLBACK_URL;
  return `${url.pathname}${url.search}${url.hash}`;
}

function looksLikeLocalPath(value: string): boolean {
  return (
    value.startsWith("/") &&
    !value.startsWith("//") &&
    // Browsers read a backslash as a slash, so `/\host` is `//host`.
    !value.includes("\\") &&
    // Tabs and newlines are stripped by URL parsers (`/\t/host`); no control character is legitimate here.
    !/[\u0000-\u001f\u007f]/.test(value)
  );
}

/** Auth.js's own callback-url cookie, under its development and production (`__Secure-`) names. */
export const AUTHJS_CALLBACK_COOKIES = ["authjs.callback-url", "__Secure-authjs.callback-url"] as const;

/**
 * Whether Auth.js can read a callbackUrl (its query parameter, or its cookie) at all: an absolute http(s)
 * URL or a path from the root. Auth.js answers anything else with a 500 ("server configuration"), so the
 * gate refuses such requests first with a 400. Where it then sends the user is decided by safeCallbackUrl.
 */
export function isReadableByAuthJs(value: string, origin: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

/** The unreadable callbackUrl inputs of a request to Auth.js's routes: "query", cookie names, or none. */
export function unreadableAuthJsCallbacks(url: URL, cookies: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  const query = url.searchParams.get("callbackUrl");
  if (query !== null && query !== "" && !isReadableByAuthJs(query, url.origin)) found.push("query");
  for (const name of AUTHJS_CALLBACK_COOKIES) {
    const value = cookies.get(name);
    if (value !== undefined && value !== "" && !isReadableByAuthJs(value, url.origin)) found.push(name);
  }
  return found;
}
