/**
 * DUO_HOST as people write it: a bare API hostname (HTTPS on 443), a hostname with a port, or a URL.
 * Plain http:// is accepted only for loopback addresses, which is where the built-in emulator listens.
 */
export interface DuoEndpoint {
  /** Origin requests are sent to, e.g. `https://api-xxxxxxxx.duosecurity.com`. */
  origin: string;
  /** The host line of the canonical request: lower-case, without the port, as Duo's clients sign it. */
  signedHost: string;
  /** True when the endpoint is a loopback http:// address (the emulator). */
  loopback: boolean;
}

export type DuoHostResult = { ok: true; endpoint: DuoEndpoint } | { ok: false; reason: string };

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export function parseDuoHost(raw: string): DuoHostResult {
  const value = raw.trim();
  if (value === "") return { ok: false, reason: "is empty" };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, reason: `"${value}" is not a hostname or URL` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, reason: `uses ${url.protocol.slice(0, -1)}://; use https://` };
  }
  if (url.username || url.password || (url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    return { ok: false, reason: "must be a hostname (optionally with a port), without a path, query or credentials" };
  }
  const loopback = isLoopbackHostname(url.hostname);
  if (url.protocol === "http:" && !loopback) {
    return {
      ok: false,
      reason: `uses plain http:// for ${url.hostname}; Duo is reached over https://, and http:// is allowed only for a loopback emulator`,
    };
  }
  return {
    ok: true,
    endpoint: { origin: url.origin, signedHost: url.hostname.toLowerCase(), loopback: loopback && url.protocol === "http:" },
  };
}
