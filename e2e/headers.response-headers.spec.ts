/**
 * Response headers and cookie flags on every kind of answer: pages signed out, pending and signed in, API
 * answers, the gate's own redirects and refusals, 404s. The e2e server is the production build, so HSTS is
 * on (lib/http/security-headers.ts sends it whenever NODE_ENV=production) and every cookie must be Secure
 * with a __Host-/__Secure- prefix.
 */
import { HttpSession } from "./support/http-session";
import { newEmail, newPassword } from "./support/accounts";
import { signUpOverHttp } from "./support/http-session";
import { E2E_BASE_URL } from "./support/settings";
import { expect, test } from "./support/test";

interface Seen {
  label: string;
  response: Response;
  body: string;
}

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name = "", ...values]) => [name.toLowerCase(), values]),
  );
}

/** The headers every response carries, whatever produced it. */
function expectSecurityHeaders({ label, response }: Seen): string {
  const headers = response.headers;
  expect(headers.get("x-content-type-options"), label).toBe("nosniff");
  expect(headers.get("x-frame-options"), label).toBe("DENY");
  expect(headers.get("referrer-policy"), label).toBe("strict-origin-when-cross-origin");
  const hsts = headers.get("strict-transport-security") ?? "";
  expect(Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0), `${label}: HSTS ${hsts}`).toBeGreaterThanOrEqual(365 * 24 * 60 * 60);
  expect(headers.get("x-powered-by"), label).toBeNull();

  const csp = headers.get("content-security-policy");
  expect(csp, `${label}: Content-Security-Policy`).not.toBeNull();
  const policy = directives(csp ?? "");
  const scripts = policy.get("script-src") ?? policy.get("default-src") ?? [];
  const nonces = scripts.filter((value) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(value));
  expect(nonces, `${label}: one nonce in script-src (${csp})`).toHaveLength(1);
  expect(scripts, `${label}: script-src`).not.toContain("'unsafe-inline'");
  expect(scripts, `${label}: script-src in production`).not.toContain("'unsafe-eval'");
  expect(policy.get("frame-ancestors"), label).toEqual(["'none'"]);
  expect(policy.get("object-src"), label).toEqual(["'none'"]);
  return (nonces[0] ?? "").slice("'nonce-".length, -1);
}

/** On a page, every script element carries this response's nonce (else the policy would block it). */
function expectScriptsNonced({ label, body }: Seen, nonce: string): void {
  const scripts = [...body.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
  expect(scripts.length, `${label}: a page with scripts`).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, label).toContain(`nonce="${nonce}"`);
}

interface CookieLine {
  name: string;
  attributes: Map<string, string>;
  line: string;
}

function parseSetCookie(line: string): CookieLine {
  const [pair = "", ...rest] = line.split(";");
  const attributes = new Map(
    rest.map((part) => {
      const at = part.indexOf("=");
      return at === -1 ? [part.trim().toLowerCase(), ""] : [part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim()];
    }),
  );
  return { name: pair.slice(0, pair.indexOf("=")).trim(), attributes, line };
}

/** The challenge cookie is SameSite=Strict (lib/mfa/challenge-cookie.ts); every other cookie is Lax. */
const STRICT_COOKIES = new Set(["__Host-mfa-challenge"]);

function expectCookieFlags(label: string, cookie: CookieLine): void {
  const at = `${label}: ${cookie.line.replace(/=[^;]*/, "=…")}`;
  expect(cookie.attributes.has("httponly"), at).toBe(true);
  expect(cookie.attributes.has("secure"), at).toBe(true);
  expect(cookie.attributes.get("samesite")?.toLowerCase(), at).toBe(STRICT_COOKIES.has(cookie.name) ? "strict" : "lax");
  expect(cookie.name, at).toMatch(/^__(Host|Secure)-/);
  if (cookie.name.startsWith("__Host-")) {
    expect(cookie.attributes.get("path"), at).toBe("/");
    expect(cookie.attributes.has("domain"), at).toBe(false);
  }
}

test("every response carries the security headers, a fresh nonce, and only hardened cookies", async ({ duo }) => {
  const email = newEmail("headers");
  const password = newPassword();
  await signUpOverHttp(E2E_BASE_URL, email, password);
  const [backupCode] = (await duo.giveTwoFactor(email)).backupCodes;

  const browser = new HttpSession(E2E_BASE_URL);
  const seen: Seen[] = [];
  const pages: Seen[] = [];
  const cookies: { label: string; cookie: CookieLine }[] = [];
  async function fetchAndKeep(label: string, path: string, options: Parameters<HttpSession["send"]>[1] = {}, expected?: number): Promise<Seen> {
    const response = await browser.send(path, options);
    const entry = { label, response, body: await response.text() };
    if (expected !== undefined) expect(response.status, `${label}: ${entry.body.slice(0, 200)}`).toBe(expected);
    for (const line of response.headers.getSetCookie()) cookies.push({ label, cookie: parseSetCookie(line) });
    seen.push(entry);
    if ((response.headers.get("content-type") ?? "").startsWith("text/html")) pages.push(entry);
    return entry;
  }

  // Signed out.
  await fetchAndKeep("sign-in page", "/sign-in", {}, 200);
  await fetchAndKeep("sign-in page again", "/sign-in", {}, 200);
  await fetchAndKeep("sign-up page", "/sign-up", {}, 200);
  await fetchAndKeep("the gate's redirect to sign-in", "/account", {}, 307);
  await fetchAndKeep("the gate's 401", "/api/account/backup-codes", { json: {} }, 401);
  await fetchAndKeep("the gate's CSRF refusal", "/api/sign-up", { json: {}, origin: "https://evil.example" }, 403);
  await fetchAndKeep("health API", "/api/health", {}, 200);
  const csrf = await fetchAndKeep("Auth.js CSRF token", "/api/auth/csrf", {}, 200);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };

  // Pending.
  await fetchAndKeep("sign-in post", "/api/auth/callback/credentials", { form: { email, password, csrfToken } }, 302);
  await fetchAndKeep("second-factor page", "/mfa", {}, 200);
  await fetchAndKeep("the gate's redirect to /mfa", "/account", {}, 307);
  await fetchAndKeep("the gate's 401 for a pending session", "/api/account/backup-codes", { json: {} }, 401);
  await fetchAndKeep("remember choice", "/api/mfa/remember", { json: { remember: true } }, 200);
  await fetchAndKeep("backup code", "/api/mfa/verify", { json: { method: "backup-code", code: backupCode, remember: true } }, 200);

  // Signed in.
  await fetchAndKeep("account page", "/account", {}, 200);
  await fetchAndKeep("security page", "/account/security", {}, 200);
  await fetchAndKeep("a page that does not exist", "/no-such-page", {}, 404);
  await fetchAndKeep("an API route that does not exist", "/api/no-such-route", { json: {} }, 404);
  await fetchAndKeep("step-up", "/api/mfa/step-up", { json: {} }, 200);
  const signOutToken = JSON.parse((await fetchAndKeep("Auth.js CSRF token, signed in", "/api/auth/csrf", {}, 200)).body) as { csrfToken: string };
  await fetchAndKeep("sign-out", "/api/auth/signout", { form: { csrfToken: signOutToken.csrfToken } }, 302);

  const nonces = seen.map(expectSecurityHeaders);
  expect(new Set(nonces).size, "a nonce is never reused across responses").toBe(seen.length);
  for (const page of pages) expectScriptsNonced(page, nonces[seen.indexOf(page)] ?? "");
  expect(pages.map((page) => page.label)).toEqual(
    expect.arrayContaining(["sign-in page", "second-factor page", "account page", "security page", "a page that does not exist"]),
  );

  for (const { label, cookie } of cookies) expectCookieFlags(label, cookie);
  expect(new Set(cookies.map(({ cookie }) => cookie.name))).toEqual(
    new Set(["__Host-authjs.csrf-token", "__Secure-authjs.callback-url", "__Secure-authjs.session-token", "__Host-remember-browser", "__Host-mfa-challenge"]),
  );
});
