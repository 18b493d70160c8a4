/**
 * An independent implementation of Duo's request signing, for tests only. It shares no code with
 * lib/duo/signing.ts and is written differently on purpose (byte-level encoding, no encodeURIComponent),
 * so that a bug in one is caught by the other. Spec: shared/duo-auth-api.md §3.
 */
import crypto from "node:crypto";

const UNRESERVED = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".split("").map((c) => c.charCodeAt(0)));

/** Percent-encodes each UTF-8 byte outside the unreserved set, upper-case hex. */
export function referenceEncode(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    out += UNRESERVED.has(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export function referenceParams(pairs: Array<[string, string]>): string {
  const encoded = pairs.map(([k, v]) => [referenceEncode(k), referenceEncode(v)]);
  encoded.sort((a, b) => Buffer.compare(Buffer.from(`${a[0]}`), Buffer.from(`${b[0]}`)) || Buffer.compare(Buffer.from(`${a[1]}`), Buffer.from(`${b[1]}`)));
  return encoded.map((pair) => pair.join("=")).join("&");
}

function sha512(data: string | Buffer): string {
  return crypto.createHash("sha512").update(data).digest("hex");
}

export interface ReferenceRequest {
  version: 2 | 5;
  digest?: "sha1" | "sha512";
  ikey: string;
  skey: string;
  date: string;
  method: string;
  host: string;
  path: string;
  /** v2: query or form params; v5: query params. */
  params: Array<[string, string]>;
  body?: string | Buffer;
  xDuoHeaders?: Record<string, string>;
}

export function referenceCanonical(request: ReferenceRequest): string {
  const parts = [request.date, request.method.toUpperCase(), request.host.toLowerCase(), request.path, referenceParams(request.params)];
  if (request.version === 5) {
    parts.push(sha512(request.body ?? ""));
    const headers = Object.entries(request.xDuoHeaders ?? {})
      .map(([k, v]) => [k.toLowerCase(), v] as [string, string])
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    parts.push(sha512(headers.map(([k, v]) => `${k}\u0000${v}`).join("\u0000")));
  }
  return parts.join("\n");
}

/** The Authorization header value for a request. */
export function referenceAuthorization(request: ReferenceRequest): string {
  const digest = request.version === 5 ? "sha512" : (request.digest ?? "sha512");
  const signature = crypto.createHmac(digest, Buffer.from(request.skey, "utf8")).update(Buffer.from(referenceCanonical(request), "utf8")).digest("hex");
  return `Basic ${Buffer.from(`${request.ikey}:${signature}`).toString("base64")}`;
}

/** True when `authorization` is a valid signature of the request under any digest the version allows. */
export function referenceVerify(request: Omit<ReferenceRequest, "digest">, authorization: string): boolean {
  const digests: Array<"sha1" | "sha512"> = request.version === 5 ? ["sha512"] : ["sha1", "sha512"];
  return digests.some((digest) => {
    const expected = Buffer.from(referenceAuthorization({ ...request, digest }));
    const given = Buffer.from(authorization);
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  });
}
