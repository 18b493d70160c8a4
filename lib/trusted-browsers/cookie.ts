/** The remembered-browser cookie: HttpOnly, SameSite=Lax, and in production Secure with the __Host- prefix. */
export interface CookieSpec {
  name: string;
  options: { httpOnly: true; sameSite: "lax"; secure: boolean; path: "/"; maxAge?: number; expires?: Date };
}

export function rememberCookieName(isProduction: boolean): string {
  // __Host- binds the cookie to this exact origin over HTTPS: no Domain attribute, Path=/, Secure.
  return isProduction ? "__Host-remember-browser" : "remember-browser";
}

export function rememberCookie(isProduction: boolean, expiresAt: Date): CookieSpec {
  return {
    name: rememberCookieName(isProduction),
    options: { httpOnly: true, sameSite: "lax", secure: isProduction, path: "/", expires: expiresAt },
  };
}

export function clearedRememberCookie(isProduction: boolean): CookieSpec {
  return {
    name: rememberCookieName(isProduction),
    options: { httpOnly: true, sameSite: "lax", secure: isProduction, path: "/", maxAge: 0 },
  };
}
