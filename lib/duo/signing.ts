/**
 * Duo's request signing, byte for byte as Duo's official clients do it (reference: shared/duo-auth-api.md
 * §3). Used by our client to sign and by the emulator to verify, so both read the same canonical form.
 *
 *   Authorization: Basic base64(ikey ":" hex(HMAC(skey, canonical)))
 *   v2 canonical = date \n METHOD \n host \n path \n params            (HMAC-SHA1 or HMAC-SHA512)
 *   v5 canonical = date \n METHOD \n host \n path \n params \n sha512(body) \n sha512(x-duo headers)
 *                                                                         (HMAC-SHA512 only)
 */
import { createHash, createHmac } from "node:crypto";

export type SignatureVersion = 2 | 5;
export type SignatureDigest = "sha1" | "sha512";

/** Parameters as decoded key/value strings; a key may repeat. */
export type ParamPairs = ReadonlyArray<readonly [string, string]>;
export type ParamInput = ParamPairs | Readonly<Record<string, string | readonly string[]>>;

export function toPairs(params: ParamInput): Array<[string, string]> {
  if (Array.isArray(params)) return params.map(([k, v]) => [k, v]);
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(params as Readonly<Record<string, string | readonly string[]>>)) {
    if (typeof value === "string") pairs.push([key, value]);
    else for (const item of value) pairs.push([key, item]);
  }
  return pairs;
}

/**
 * Percent-encodes the UTF-8 bytes of a string: `A–Z a–z 0–9 - _ . ~` stay literal, every other byte is
 * `%XX` in upper-case hex (so space is %20, never +; `~` stays; `!'()*` are escaped).
 */
export function encodeComponent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The params line: encoded `key=value` pairs sorted by encoded key, then by encoded value, joined by `&`. */
export function canonicalParams(params: ParamInput): string {
  return toPairs(params)
    .map(([key, value]) => [encodeComponent(key), encodeComponent(value)] as const)
    .sort(([ka, va], [kb, vb]) => compareBytes(ka, kb) || compareBytes(va, vb))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
}

function compareBytes(a: string, b: string): number {
  // Encoded strings are ASCII, so code-unit order is byte order.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sha512Hex(data: string | Uint8Array): string {
  return createHash("sha512").update(data).digest("hex");
}

/** The v5 header hash: `x-duo-*` headers, names lower-cased and sorted, flattened and joined by NUL. */
export function canonicalDuoHeaders(headers: Readonly<Record<string, string>>): string {
  const entries = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(([name]) => name.startsWith("x-duo-"))
    .sort(([a], [b]) => compareBytes(a, b));
  return sha512Hex(entries.flatMap(([name, value]) => [name, value]).join("\0"));
}

export interface CanonicalRequest {
  date: string;
  method: string;
  /** The API hostname; lower-cased here, and signed without a port. */
  host: string;
  path: string;
  /** v2: the query or form parameters. v5: the query parameters (none for a JSON POST). */
  params: ParamInput;
  /** v5 only: the exact body bytes sent ("" for GET). */
  body?: string | Uint8Array;
  /** v5 only: every `x-duo-*` header sent. */
  duoHeaders?: Readonly<Record<string, string>>;
}

export function canonicalize(version: SignatureVersion, request: CanonicalRequest): string {
  const lines = [request.date, request.method.toUpperCase(), request.host.toLowerCase(), request.path, canonicalParams(request.params)];
  if (version === 5) {
    lines.push(sha512Hex(request.body ?? ""), canonicalDuoHeaders(request.duoHeaders ?? {}));
  }
  return lines.join("\n");
}

export function signCanonical(skey: string, canonical: string, digest: SignatureDigest): string {
  return createHmac(digest, skey).update(canonical, "utf8").digest("hex");
}

export function authorizationHeader(ikey: string, signature: string): string {
  return `Basic ${Buffer.from(`${ikey}:${signature}`, "utf8").toString("base64")}`;
}

/** The request date as every official client writes it: RFC 2822, UTC, English names. */
export function formatRequestDate(date: Date): string {
  // toUTCString() is locale-independent: "Tue, 21 Aug 2012 17:29:18 GMT".
  return date.toUTCString();
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const RFC2822 =
  /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (GMT|UTC|UT|Z|[+-]\d{4})$/;

/**
 * Parses an RFC 2822 date as Duo accepts it (English names only; GMT, UT, UTC, Z or a ±hhmm offset,
 * -0000 included). Returns null for anything else, which the server answers with 40104.
 */
export function parseRequestDate(value: string): Date | null {
  const match = RFC2822.exec(value.trim());
  if (!match) return null;
  const [, weekday, day, month, year, hour, minute, second, zone] = match;
  const monthIndex = MONTHS.indexOf(month ?? "");
  const utc = Date.UTC(Number(year), monthIndex, Number(day), Number(hour), Number(minute), Number(second));
  const check = new Date(utc);
  // Reject impossible dates (31 Feb) and hours, minutes or seconds out of range.
  if (check.getUTCDate() !== Number(day) || check.getUTCHours() !== Number(hour) || check.getUTCMinutes() !== Number(minute) || Number(second) > 59) {
    return null;
  }
  let offsetMinutes = 0;
  if (zone && /^[+-]/.test(zone)) {
    const sign = zone.startsWith("-") ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  }
  const result = new Date(utc - offsetMinutes * 60_000);
  if (weekday && DAYS[check.getUTCDay()] !== weekday) return null;
  return result;
}
