/**
 * Checks the proxy applies to every request before any route sees it: state-changing requests must come
 * from our own pages (Origin matches Host), and API bodies must be small and declared.
 */
import type { ErrorCode } from "../errors";
import { API_MAX_BODY_BYTES } from "./body";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * A state-changing request is same-origin when its Origin header names the host it was sent to. Browsers
 * send Origin on every cross-origin request and on every same-origin non-GET fetch or form post, so a
 * missing Origin is refused too. (Host, or X-Forwarded-Host behind a trusted proxy, is what the browser
 * addressed.)
 */
export function isSameOrigin(headers: Headers, trustProxy: boolean): boolean {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return false;
  const host = (trustProxy ? headers.get("x-forwarded-host") : null) ?? headers.get("host");
  if (!host) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Refuses API bodies that are too large, or whose size is not declared, before anything reads them. */
export function bodySizeProblem(headers: Headers, limit: number = API_MAX_BODY_BYTES): ErrorCode | null {
  const length = headers.get("content-length");
  if (length === null) return headers.has("transfer-encoding") ? "LENGTH_REQUIRED" : null;
  const bytes = Number(length);
  if (!Number.isSafeInteger(bytes) || bytes < 0) return "INVALID_INPUT";
  return bytes > limit ? "BODY_TOO_LARGE" : null;
}
