/**
 * The gate (Next 16's proxy, formerly middleware). For every page and API route it:
 * 1. refuses cross-origin state changes and oversized API bodies;
 * 2. reads the session and applies lib/auth/gate.ts: signed out → sign-in (pages) or 401 (API);
 *    second factor pending → /mfa (pages) or 401 (API);
 * 3. sets a per-request Content-Security-Policy nonce.
 * Any error while reading the session counts as signed out: the gate fails closed.
 */
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { unreadableAuthJsCallbacks } from "@/lib/auth/callback-url";
import { decideGate, isApiPath, type GateDecision, type GateSession } from "@/lib/auth/gate";
import { auth } from "@/lib/auth/next-auth";
import { getConfig } from "@/lib/config/env";
import { errorBody, errorStatus, type ErrorCode } from "@/lib/errors";
import { bodySizeProblem, isSameOrigin, isStateChanging } from "@/lib/http/request-guard";
import { contentSecurityPolicy } from "@/lib/http/security-headers";
import { log } from "@/lib/log";
import type { NextAuthRequest, Session } from "next-auth";

function gateSession(session: Session | null): GateSession {
  if (!session?.user?.id) return { state: "none" };
  if (session.mfaPending) return { state: "pending", pendingUntil: session.pendingUntil ?? 0 };
  return { state: "full" };
}

function refuse(code: ErrorCode): NextResponse {
  return NextResponse.json(errorBody(code), { status: errorStatus(code), headers: { "Cache-Control": "no-store" } });
}

function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

function policy(nonce: string): string {
  const config = getConfig();
  return contentSecurityPolicy({ nonce, isProduction: config.isProduction, imageOrigins: [config.duo.endpoint.origin] });
}

/** The gate's own answers (refusals, redirects) get the policy too: framing and scripts are refused on every response. */
function withPolicy<R extends Response>(response: R): R {
  if (!response.headers.has("content-security-policy")) response.headers.set("content-security-policy", policy(newNonce()));
  return response;
}

function apply(request: NextRequest, decision: GateDecision): NextResponse {
  if (decision.action === "deny") return refuse(decision.code);
  if (decision.action === "redirect") return NextResponse.redirect(new URL(decision.location, request.url));

  const nonce = newNonce();
  const csp = policy(nonce);
  // Next.js reads the nonce from the request's CSP header and stamps it on its own scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return response;
}

function guard(request: NextRequest): ErrorCode | null {
  const { pathname } = request.nextUrl;
  if (!isStateChanging(request.method)) return null;
  if (!isSameOrigin(request.headers, getConfig().trustProxy)) return "CROSS_ORIGIN";
  return isApiPath(pathname) ? bodySizeProblem(request.headers) : null;
}

function gate(request: NextRequest, session: GateSession): NextResponse {
  const { pathname, search } = request.nextUrl;
  return apply(request, decideGate({ pathname, search, session, now: Date.now() }));
}

const gateWithSession = (request: NextAuthRequest, _event: NextFetchEvent): NextResponse => {
  const refused = guard(request);
  if (refused) return refuse(refused);
  return gate(request, gateSession(request.auth));
};
// With a lazily built config (lib/auth/next-auth.ts), auth(handler) hands back the wrapped handler
// asynchronously, though its types say it returns it directly; Promise.resolve covers both.
const withSession = Promise.resolve(auth(gateWithSession));

/**
 * A callbackUrl Auth.js cannot parse (in its query or its cookie) makes it answer 500: refuse it with a 400
 * here, and drop such a cookie so that the browser recovers.
 */
function refuseUnreadableCallback(request: NextRequest): NextResponse | null {
  if (!request.nextUrl.pathname.startsWith("/api/auth/")) return null;
  const cookies = new Map(request.cookies.getAll().map((cookie) => [cookie.name, cookie.value]));
  const unreadable = unreadableAuthJsCallbacks(request.nextUrl, cookies);
  if (unreadable.length === 0) return null;
  const response = refuse("INVALID_INPUT");
  for (const name of unreadable) if (name !== "query") response.cookies.set({ name, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: "lax", secure: name.startsWith("__Secure-") });
  return response;
}

export default async function proxy(request: NextRequest, event: NextFetchEvent): Promise<Response> {
  try {
    const unreadable = refuseUnreadableCallback(request);
    if (unreadable) return withPolicy(unreadable);
    const handler = await withSession;
    const response = (await handler(request, event)) ?? gate(request, { state: "none" });
    // Auth.js re-issues the session cookie on every read. Forwarding that from the gate would let any
    // request still in flight (a link prefetch, a poll) bring a session back to life right after sign-out;
    // the session cookie is written only by sign-in, the second-factor upgrade and sign-out.
    response.headers.delete("set-cookie");
    return withPolicy(response);
  } catch (error) {
    log.error("gate.error", { name: error instanceof Error ? error.name : typeof error, path: request.nextUrl.pathname });
    try {
      const refused = guard(request);
      return withPolicy(refused ? refuse(refused) : gate(request, { state: "none" }));
    } catch {
      return isApiPath(request.nextUrl.pathname) ? refuse("INTERNAL") : new NextResponse("Service unavailable", { status: 503 });
    }
  }
}

export const config = {
  // Everything except Next's build assets and the files in public/.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|.*\\.(?:png|svg|ico|txt|webmanifest)$).*)"],
};
