/**
 * A browser's session, over plain HTTP against the e2e server: its own cookie jar and client address, and
 * the same requests the pages send (Auth.js's credentials form, the second-factor routes). For the security
 * suites, which need many sessions at once, full control of headers and cookies, and no page rendering.
 */
import { randomClientIp } from "./test";

/** Auth.js's session cookie (production names it with the __Secure- prefix). */
export const SESSION_COOKIE_SUFFIX = "authjs.session-token";

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A JSON value (sent as application/json) unless `raw` is given. */
  json?: unknown;
  form?: Record<string, string>;
  raw?: string | Uint8Array<ArrayBuffer>;
  /** Send this Origin instead of the app's own; null sends none. */
  origin?: string | null;
}

export class HttpSession {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly ip: string = randomClientIp(),
  ) {}

  get sessionCookie(): [string, string] | null {
    for (const entry of this.cookies) if (entry[0].endsWith(SESSION_COOKIE_SUFFIX)) return entry;
    return null;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async send(path: string, options: SendOptions = {}): Promise<Response> {
    const method = options.method ?? (options.json !== undefined || options.form || options.raw !== undefined ? "POST" : "GET");
    const headers: Record<string, string> = { "x-forwarded-for": this.ip };
    const origin = options.origin === undefined ? this.baseUrl : options.origin;
    if (origin !== null) headers.origin = origin;
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader();
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    Object.assign(headers, options.headers);
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body, redirect: "manual" });
    this.keepCookies(response);
    return response;
  }

  private keepCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = value === "" || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async csrfToken(): Promise<string> {
    const response = await this.send("/api/auth/csrf");
    const body = (await response.json()) as { csrfToken: string };
    return body.csrfToken;
  }

  /** The sign-in form's post. Returns where Auth.js sends the browser next. */
  async signIn(email: string, password: string, callbackUrl?: string): Promise<string> {
    const csrfToken = await this.csrfToken();
    const form: Record<string, string> = { email, password, csrfToken };
    if (callbackUrl !== undefined) form.callbackUrl = callbackUrl;
    const response = await this.send("/api/auth/callback/credentials", { form });
    if (response.status !== 302) throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
    return response.headers.get("location") ?? "";
  }

  /** What the gate does with a page request: the redirect's target, or null when it lets the page render. */
  async pageRedirect(path: string): Promise<string | null> {
    const response = await this.send(path);
    await response.arrayBuffer();
    return response.status >= 300 && response.status < 400 ? response.headers.get("location") : null;
  }

  async postJson(path: string, json: unknown = {}): Promise<{ status: number; body: ApiBody }> {
    const response = await this.send(path, { json });
    const text = await response.text();
    return { status: response.status, body: parseBody(text) };
  }
}

export interface ApiBody {
  error?: { code: string; message: string };
  status?: string;
  next?: string;
  [key: string]: unknown;
}

function parseBody(text: string): ApiBody {
  try {
    return JSON.parse(text) as ApiBody;
  } catch {
    return { raw: text };
  }
}

/** A new account through the sign-up API, from its own client address (sign-ups are limited per address). */
export async function signUpOverHttp(baseUrl: string, email: string, password: string): Promise<void> {
  const response = await new HttpSession(baseUrl).send("/api/sign-up", { json: { email, password } });
  if (response.status !== 201) throw new Error(`sign-up answered ${response.status}: ${await response.text()}`);
}

/** Signs in with the password: a pending session when the account has 2FA, a full one otherwise. */
export async function passwordSession(baseUrl: string, email: string, password: string): Promise<HttpSession> {
  const session = new HttpSession(baseUrl);
  await session.signIn(email, password);
  if (!session.sessionCookie) throw new Error("sign-in set no session cookie");
  return session;
}

/** A full session of a 2FA account with a fresh second factor (a backup code), as a step-up needs. */
export async function fullSessionWithBackupCode(baseUrl: string, email: string, password: string, backupCode: string): Promise<HttpSession> {
  const session = await passwordSession(baseUrl, email, password);
  const { status, body } = await session.postJson("/api/mfa/verify", { method: "backup-code", code: backupCode });
  if (status !== 200 || body.status !== "passed") throw new Error(`backup code answered ${status}: ${JSON.stringify(body)}`);
  return session;
}
