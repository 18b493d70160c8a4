/**
 * The control API and the virtual phone can approve logins, so they refuse requests a web page on
 * another site could make the developer's browser send (CSRF), and requests for a foreign host name
 * (DNS rebinding: evil.example resolving to 127.0.0.1).
 */
import type { IncomingMessage } from "node:http";
import { isLoopbackHostname } from "../../duo/host";

export function hostAllowed(request: IncomingMessage, extraHosts: readonly string[]): boolean {
  const raw = (request.headers.host ?? "").toLowerCase();
  const name = raw.startsWith("[") ? raw.slice(0, raw.indexOf("]") + 1) : raw.replace(/:\d+$/, "");
  return isLoopbackHostname(name) || extraHosts.some((host) => host.toLowerCase() === name);
}

/** A state-changing request is accepted only without an Origin (non-browser clients) or from ourselves. */
export function sameOriginOrNone(request: IncomingMessage): boolean {
  const fetchSite = request.headers["sec-fetch-site"];
  if (fetchSite === "cross-site" || fetchSite === "same-site") return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === (request.headers.host ?? "").toLowerCase();
  } catch {
    return false;
  }
}
