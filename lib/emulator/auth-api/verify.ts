/**
 * Request verification in Duo's order (shared/duo-auth-api.md §8.2): credentials present (40101), known
 * integration key (40102), a parseable date (40104) inside the skew window (40105), then a signature that
 * matches some canonical form the client could have signed (40103). The canonical forms come from
 * lib/duo/signing.ts, the same code our client signs with; tests check both against an independent signer.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { canonicalize, parseRequestDate, sha512Hex, signCanonical, type ParamPairs, type SignatureDigest } from "../../duo/signing";
import { duoFail, duoOk, type DuoResult } from "../core/duo-errors";

export interface Integration {
  ikey: string;
  skey: string;
  /** Keys of any other integration type are refused by the Auth API with 40301 (§1). */
  type: "auth" | "admin";
}

/** How the body was sent decides which signature versions can cover it. */
export type BodyKind = "empty" | "form" | "json" | "other";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  query: ParamPairs;
  /** Decoded form parameters (empty unless bodyKind is "form"). */
  form: ParamPairs;
  body: Buffer;
  bodyKind: BodyKind;
}

export interface VerifySettings {
  integrations: ReadonlyMap<string, Integration>;
  apiHost: string;
  now: number;
  clockSkewSeconds: number;
}

type Candidate = { digest: SignatureDigest; canonical: (host: string) => string };

const SHA1_HEX_LENGTH = 40;
const SHA512_HEX_LENGTH = 128;

export function verifyRequest(request: ReceivedRequest, settings: VerifySettings): DuoResult<Integration> {
  const credentials = parseAuthorization(request.headers.authorization);
  if (credentials === null) return duoFail(40101);

  const integration = settings.integrations.get(credentials.ikey);
  if (!integration) return duoFail(40102);

  // X-Duo-Date wins over Date when both are sent (Duo's mock does the same, §8.2 step 4).
  const date = header(request.headers, "x-duo-date") ?? header(request.headers, "date");
  const parsed = date === undefined ? null : parseRequestDate(date);
  if (date === undefined || parsed === null) return duoFail(40104);
  // The window stops a captured request from being replayed later (UNCONFIRMED width, default 300 s).
  if (Math.abs(parsed.getTime() - settings.now) > settings.clockSkewSeconds * 1000) return duoFail(40105);

  const given = credentials.signature;
  const candidates = candidatesFor(request, date, given.length);
  for (const host of signedHosts(request.headers, settings.apiHost)) {
    for (const candidate of candidates) {
      const expected = Buffer.from(signCanonical(integration.skey, candidate.canonical(host), candidate.digest), "hex");
      // Constant-time, so response timing does not reveal how much of a forged signature was right.
      if (expected.length === given.bytes.length && timingSafeEqual(expected, given.bytes)) return duoOk(integration);
    }
  }
  return duoFail(40103);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function parseAuthorization(value: string | undefined): { ikey: string; signature: { length: number; bytes: Buffer } } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0 || colon === decoded.length - 1) return null;
  const hex = decoded.slice(colon + 1);
  // A signature that is not hex of a known length cannot match; it still counts as present credentials.
  const bytes = /^(?:[0-9a-fA-F]{2})+$/.test(hex) ? Buffer.from(hex, "hex") : Buffer.alloc(0);
  return { ikey: decoded.slice(0, colon), signature: { length: hex.length, bytes } };
}

/**
 * The host line may be the configured API hostname or the Host header's name without its port: Node's
 * fetch overrides Host, so clients that sign a name other than where they connect still verify (§3.1).
 */
function signedHosts(headers: IncomingHttpHeaders, apiHost: string): string[] {
  const hosts = [apiHost.toLowerCase()];
  const raw = headers.host?.trim().toLowerCase();
  if (raw) {
    const name = raw.startsWith("[") ? raw.slice(0, raw.indexOf("]") + 1) : raw.replace(/:\d+$/, "");
    if (name && !hosts.includes(name)) hosts.push(name);
  }
  return hosts;
}

/**
 * Canonical forms that could cover this request. v2 signs the parameters (query plus form, §3.7), so it
 * is only considered when the body is a form or empty; v4/v5 sign the raw body bytes, so a form body is
 * never accepted under them. Either way, every parameter the emulator acts on is covered by the signature.
 */
function candidatesFor(request: ReceivedRequest, date: string, signatureLength: number): Candidate[] {
  const base = { date, method: request.method, path: request.path };
  const v2Params = [...request.query, ...request.form];
  const v2 = (digest: SignatureDigest): Candidate => ({
    digest,
    canonical: (host) => canonicalize(2, { ...base, host, params: v2Params }),
  });
  const v4: Candidate = {
    digest: "sha512",
    canonical: (host) => `${canonicalize(2, { ...base, host, params: request.query })}\n${sha512Hex(request.body)}`,
  };
  const v5: Candidate = {
    digest: "sha512",
    canonical: (host) => canonicalize(5, { ...base, host, params: request.query, body: request.body, duoHeaders: duoHeaders(request.headers) }),
  };
  const signsParams = request.bodyKind === "empty" || request.bodyKind === "form";
  const signsBody = request.bodyKind !== "form";
  if (signatureLength === SHA1_HEX_LENGTH) return signsParams ? [v2("sha1")] : [];
  if (signatureLength === SHA512_HEX_LENGTH) return [...(signsParams ? [v2("sha512")] : []), ...(signsBody ? [v4, v5] : [])];
  return [];
}

/** Every received `x-duo-*` header enters the v5 header hash (§3.6). */
function duoHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith("x-duo-") && value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
