/**
 * Auth.js wiring: the credentials provider, JWT sessions and the two callbacks that shape the token.
 * The decisions themselves live in lib/auth/accounts.ts and lib/auth/session-token.ts.
 */
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getConfig } from "../config/env";
import { fail, ok, type ErrorCode } from "../errors";
import { clientInfo } from "../http/client-info";
import { log } from "../log";
import { cookies, headers } from "next/headers";
import { recordAuthEvent } from "../audit/events";
import { clearedRememberCookie, rememberCookie, rememberCookieName } from "../trusted-browsers/cookie";
import { isDatabaseUnavailable } from "../db/unavailable";
import { verifyPrimaryLogin, type PrimaryLogin } from "./accounts";
import { signInSchema } from "./schemas";
import { endSessionOfToken, startSession } from "./sessions";
import {
  claimsAfterUpdate,
  claimsAtSignIn,
  isPastAbsoluteLifetime,
  SESSION_MAX_AGE_SECONDS,
} from "./session-token";

/** A refused sign-in; its code (from lib/errors.ts) reaches the form through Auth.js's `code` parameter. */
class SignInRefused extends CredentialsSignin {
  constructor(code: ErrorCode) {
    super();
    this.code = code;
  }
}

type CookieJar = Awaited<ReturnType<typeof cookies>>;

function applyRememberCookie(jar: CookieJar, change: PrimaryLogin["rememberCookie"], isProduction: boolean): void {
  if (change.action === "set") {
    const { name, options } = rememberCookie(isProduction, change.expiresAt);
    jar.set(name, change.token, options);
  } else if (change.action === "clear") {
    const { name, options } = clearedRememberCookie(isProduction);
    jar.set(name, "", options);
  }
}

function authConfig(): NextAuthConfig {
  const config = getConfig();
  return {
    secret: config.authSecret,
    trustHost: true,
    useSecureCookies: config.isProduction,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        async authorize(credentials, request) {
          const input = signInSchema.safeParse(credentials);
          if (!input.success) throw new SignInRefused("INVALID_INPUT");
          const jar = await cookies();
          const client = clientInfo(request.headers, config.trustProxy);
          const signIn = async () => {
            const verified = await verifyPrimaryLogin(input.data, {
              client,
              rememberToken: jar.get(rememberCookieName(config.isProduction))?.value ?? null,
            });
            return verified.ok ? ok({ login: verified.value, sessionId: await startSession(verified.value.userId, client) }) : verified;
          };
          const result = await signIn().catch((error: unknown) => {
            // Without the database nothing can be checked: say so, rather than "wrong password" or a 500.
            if (!isDatabaseUnavailable(error)) throw error;
            log.error("auth.database_unavailable", { name: error instanceof Error ? error.name : typeof error });
            return fail("SERVICE_UNAVAILABLE");
          });
          if (!result.ok) throw new SignInRefused(result.code);
          const { login, sessionId } = result.value;
          applyRememberCookie(jar, login.rememberCookie, config.isProduction);
          return {
            id: login.userId,
            email: login.email,
            sessionId,
            assurance: login.assurance,
            sessionVersion: login.sessionVersion,
            pendingChallengeId: login.pending?.challengeId ?? null,
            pendingUntil: login.pending?.expiresAt.getTime() ?? null,
          };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user, trigger, session }) {
        const nowMs = Date.now();
        const nowSeconds = Math.floor(nowMs / 1000);
        if (trigger === "signIn" && user) return claimsAtSignIn(user, nowSeconds);
        if (isPastAbsoluteLifetime(token, nowSeconds)) return null;
        if (trigger === "update") return claimsAfterUpdate(token, nowMs, session);
        return token;
      },
      session({ session, token }) {
        return {
          ...session,
          user: { id: token.uid ?? "", email: token.email ?? "" },
          assurance: token.assurance ?? "password",
          mfaPending: Boolean(token.challengeId),
          pendingUntil: token.pendingUntil ?? null,
          mfaAt: token.mfaAt ?? null,
          sessionVersion: token.sv ?? 0,
        };
      },
    },
    events: {
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        const userId = token?.uid;
        if (!userId) return;
        // The cookie is deleted by Auth.js; ending the row stops a copy of it too.
        await endSessionOfToken(userId, token.sid);
        await recordAuthEvent({ userId, type: "sign-out", result: "success", client: clientInfo(await headers(), config.trustProxy) });
      },
    },
    logger: {
      // A refused sign-in is an expected outcome, already in the audit log; anything else is logged by
      // name only (Auth.js errors can quote the request).
      error(error) {
        if (error instanceof CredentialsSignin) return;
        log.error("auth.error", { name: error.name, type: "type" in error ? String(error.type) : null });
      },
      warn(code) {
        log.warn("auth.warning", { code });
      },
      debug() {},
    },
  };
}

export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth(() => authConfig());
