/**
 * Who is asking: the client's address and browser, for the audit log, rate limits and Duo's `ipaddr`.
 *
 * Next.js gives route handlers no socket address, only the X-Forwarded-For header, which `next start`
 * fills from the socket when the client did not send one itself. With TRUST_PROXY=true (Vercel, or a
 * reverse proxy that sets the header) the right-most entry is the address the nearest proxy saw, which the
 * client cannot forge. Without it, a server exposed directly cannot tell its own value from a forged one;
 * the README's deployment section says to run behind a proxy and set TRUST_PROXY.
 */
import { isIP } from "node:net";

/** The longest User-Agent we keep; real ones are well under this. */
export const USER_AGENT_MAX_LENGTH = 512;

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export function clientInfo(headers: Headers, trustProxy: boolean): ClientInfo {
  return { ip: clientAddress(headers, trustProxy), userAgent: userAgentOf(headers) };
}

export function clientAddress(headers: Headers, trustProxy: boolean): string | null {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  // Without a trusted proxy only a single entry can be the one Next.js wrote from the socket.
  if (!trustProxy && entries.length !== 1) return null;
  const candidate = normalizeAddress(entries.at(-1) ?? "");
  return isIP(candidate) ? candidate : null;
}

function normalizeAddress(address: string): string {
  // IPv4 clients of a dual-stack socket show up as ::ffff:a.b.c.d
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function userAgentOf(headers: Headers): string | null {
  const ua = headers.get("user-agent");
  return ua ? ua.slice(0, USER_AGENT_MAX_LENGTH) : null;
}
