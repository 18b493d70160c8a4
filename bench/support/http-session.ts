/** A tiny cookie-keeping HTTP client for benchmarks: sign up and sign in as a browser would. */
export class HttpSession {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    initialCookies: Record<string, string> = {},
    /** Sent as X-Forwarded-For, for servers that trust a proxy. */
    readonly clientIp: string | null = null,
  ) {
    for (const [name, value] of Object.entries(initialCookies)) this.cookies.set(name, value);
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("origin", this.baseUrl);
    if (this.clientIp) headers.set("x-forwarded-for", this.clientIp);
    if (this.cookies.size > 0) headers.set("cookie", this.cookieHeader());
    const response = await fetch(`${this.baseUrl}${path}`, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** A JSON POST, as the pages' fetches send it. */
  postJson(path: string, body: unknown = {}): Promise<Response> {
    return this.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  }

  async signUp(email: string, password: string): Promise<void> {
    const response = await this.request("/api/sign-up", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  }

  async csrfToken(): Promise<string> {
    const response = await this.request("/api/auth/csrf");
    const body = (await response.json()) as { csrfToken: string };
    return body.csrfToken;
  }

  /** The session as the browser's /api/auth/session sees it (null when signed out). */
  async sessionState(): Promise<{ mfaPending: boolean; assurance: string } | null> {
    const response = await this.request("/api/auth/session");
    return (await response.json()) as { mfaPending: boolean; assurance: string } | null;
  }

  /** One sign-in request, as next-auth/react sends it; returns the redirect URL Auth.js answers. */
  async signIn(email: string, password: string, csrfToken?: string): Promise<string> {
    const token = csrfToken ?? (await this.csrfToken());
    const response = await this.request("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1" },
      body: new URLSearchParams({ email, password, csrfToken: token }),
    });
    const body = (await response.json()) as { url: string };
    if (new URL(body.url).searchParams.has("error")) throw new Error(`sign-in refused: ${body.url}`);
    return body.url;
  }
}
