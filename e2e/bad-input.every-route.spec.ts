/**
 * Generated bad input on every route handler, in the session stage the route serves: wrong types, missing
 * and extra fields, huge and deeply nested bodies, NUL bytes, lone surrogates and other unicode, invalid
 * UTF-8, wrong content types, bodies past the limit with and without a Content-Length. Every answer is a
 * clear 4xx with an error code and a message (never a 500, never a stack trace), nothing changes in the
 * database, and the session keeps its stage. Auth.js's own routes get the same input and must never fail
 * with a 5xx or hand out a session.
 *
 * The route list comes from app/api/**\/route.ts: a handler added without a target here fails the first test.
 */
import { ERRORS } from "../lib/errors";
import { newEmail, newPassword } from "./support/accounts";
import { fullSessionWithBackupCode, HttpSession, passwordSession, signUpOverHttp } from "./support/http-session";
import { apiRouteHandlers, serverActionFiles } from "./support/routes";
import { E2E_BASE_URL } from "./support/settings";
import { accountSnapshot } from "./support/snapshot";
import { expect, test } from "./support/test";

type Stage = "none" | "pending" | "full";
/**
 * `token`: a field with a fixed alphabet (ids, codes, emails), where any odd short string must be refused too.
 * `text`: free text (passwords), where only values past every limit are certain to be refused.
 */
type FieldKind = "token" | "text" | "flag";

interface Target {
  handler: string;
  stage: Stage;
  /** The body's fields and their kinds (none: the route takes `{}`). */
  fields: Record<string, FieldKind>;
  /** A well-formed body, which the variants spoil one way at a time (it is never sent as is). */
  valid: Record<string, unknown>;
}

const NEXTAUTH = "/api/auth/[...nextauth]";
/** The address in the sign-up variants: no account may ever exist under it. */
const SIGN_UP_EMAIL = newEmail("bad-input-sign-up");

const TARGETS: Target[] = [
  { handler: "POST /api/sign-up", stage: "none", fields: { email: "token", password: "text" }, valid: { email: SIGN_UP_EMAIL, password: "lantern meadow orchard" } },
  { handler: "POST /api/mfa/send", stage: "pending", fields: { kind: "token", device: "token", remember: "flag" }, valid: { kind: "push", device: "auto" } },
  { handler: "POST /api/mfa/verify", stage: "pending", fields: { method: "token", code: "token", remember: "flag" }, valid: { method: "passcode", code: "123456" } },
  { handler: "POST /api/mfa/status", stage: "pending", fields: {}, valid: {} },
  { handler: "POST /api/mfa/remember", stage: "pending", fields: { remember: "flag" }, valid: { remember: true } },
  { handler: "POST /api/mfa/complete", stage: "pending", fields: {}, valid: {} },
  { handler: "POST /api/mfa/cancel", stage: "pending", fields: {}, valid: {} },
  { handler: "POST /api/mfa/step-up", stage: "full", fields: {}, valid: {} },
  { handler: "POST /api/mfa/enrollment/start", stage: "full", fields: { link: "flag" }, valid: {} },
  { handler: "POST /api/mfa/enrollment/status", stage: "full", fields: {}, valid: {} },
  { handler: "POST /api/mfa/enrollment/confirm", stage: "full", fields: {}, valid: {} },
  { handler: "POST /api/mfa/enrollment/backup-codes", stage: "full", fields: {}, valid: {} },
  { handler: "POST /api/mfa/enrollment/finish", stage: "full", fields: {}, valid: {} },
  { handler: "POST /api/account/browsers/revoke", stage: "full", fields: { id: "token" }, valid: { id: "cm0000000000000000000000" } },
  { handler: "POST /api/account/browsers/revoke-all", stage: "full", fields: {}, valid: {} },
  { handler: "POST /api/account/sessions/sign-out", stage: "full", fields: { id: "token" }, valid: { id: "cm0000000000000000000000" } },
  { handler: "POST /api/account/sessions/sign-out-others", stage: "full", fields: {}, valid: {} },
  { handler: "POST /api/account/backup-codes", stage: "full", fields: {}, valid: {} },
  { handler: "POST /api/account/two-factor/disable", stage: "full", fields: {}, valid: {} },
  { handler: "POST /api/account/password", stage: "full", fields: { currentPassword: "text", newPassword: "text" }, valid: { currentPassword: "x".repeat(12), newPassword: "y".repeat(12) } },
];

/** GET handlers: their query strings and cookies are input too. */
const GET_HANDLERS = ["GET /api/health", `GET ${NEXTAUTH}`];

/** Past every length limit of every field (1,024 is the longest, a password's). */
const LONG = 1_100;
/** Values no field of ours accepts. */
const NEVER_VALID: Array<[string, unknown]> = [
  ["null", null],
  ["a number", 42],
  ["a negative float", -1.5e308],
  ["true", true],
  ["an array", ["a"]],
  ["an object", { $ne: "" }],
  ["a 10,000-character string", "x".repeat(10_000)],
  ["a long run of NUL bytes", "\u0000".repeat(LONG)],
  ["a long run of lone surrogates", "\ud800".repeat(LONG)],
  ["a long run of emoji", "🔐".repeat(LONG)],
  ["a long run of combining marks", `e${"\u0301".repeat(LONG)}`],
  ["an array nested 2,000 deep", JSON.parse(`${"[".repeat(2_000)}${"]".repeat(2_000)}`) as unknown],
];
/** Short odd strings: refused by fields with a fixed alphabet. */
const ODD_TOKENS: Array<[string, string]> = [
  ["an empty string", ""],
  ["a NUL byte", "a\u0000b"],
  ["a lone surrogate", "\ud800"],
  ["a reversed surrogate pair", "\udc00\ud800"],
  ["right-to-left override", "\u202eabc"],
  ["a zero-width space", "ab\u200bcd"],
  ["SQL", "' OR 1=1 --"],
  ["a path", "../../etc/passwd"],
  ["a newline", "abc\r\ndef"],
];

interface Variant {
  name: string;
  /** Sent as is (with `contentType`), or `json` serialised. */
  raw?: string | Uint8Array<ArrayBuffer>;
  json?: unknown;
  contentType?: string;
  /** Streams the body without a Content-Length. */
  chunked?: boolean;
}

function variants(target: Target): Variant[] {
  const list: Variant[] = [
    { name: "malformed JSON", raw: '{"a": ', contentType: "application/json" },
    { name: "an empty body", raw: "", contentType: "application/json" },
    { name: "invalid UTF-8", raw: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), contentType: "application/json" },
    { name: "JSON sent as text/plain", raw: JSON.stringify(target.valid), contentType: "text/plain" },
    { name: "no content type", raw: JSON.stringify(target.valid), contentType: "" },
    { name: "a 1 MB body", raw: `{"a":"${"x".repeat(1024 * 1024)}"}`, contentType: "application/json" },
    { name: "a 1 MB body streamed without a length", raw: `{"a":"${"x".repeat(1024 * 1024)}"}`, contentType: "application/json", chunked: true },
    { name: "an array nested 8,000 deep", raw: `${"[".repeat(8_000)}${"]".repeat(8_000)}`, contentType: "application/json" },
    { name: "an unknown field", json: { ...target.valid, admin: true } },
    { name: "a __proto__ field", raw: `{${Object.entries(target.valid).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`).join("")}"__proto__":{"admin":true}}`, contentType: "application/json" },
    { name: "a form with an unknown field", raw: new URLSearchParams({ admin: "true" }).toString(), contentType: "application/x-www-form-urlencoded" },
    ...[null, [], "text", 42, true].map((value) => ({ name: `the body ${JSON.stringify(value)}`, json: value })),
  ];
  for (const [field, kind] of Object.entries(target.fields)) {
    if (field in target.valid) list.push({ name: `${field} missing`, json: Object.fromEntries(Object.entries(target.valid).filter(([k]) => k !== field)) });
    for (const [label, value] of NEVER_VALID) {
      if (kind === "flag" && typeof value === "boolean") continue;
      list.push({ name: `${field} as ${label}`, json: { ...target.valid, [field]: value } });
    }
    if (kind === "token") for (const [label, value] of ODD_TOKENS) list.push({ name: `${field} as ${label}`, json: { ...target.valid, [field]: value } });
    if (kind === "flag") list.push({ name: `${field} as the string "true"`, json: { ...target.valid, [field]: "true" } });
  }
  return list;
}

async function sendVariant(session: HttpSession, path: string, variant: Variant): Promise<Response> {
  if (variant.json !== undefined) return session.send(path, { method: "POST", json: variant.json });
  const headers: Record<string, string> = variant.contentType ? { "content-type": variant.contentType } : {};
  if (variant.chunked && typeof variant.raw === "string") {
    const bytes = new TextEncoder().encode(variant.raw);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.slice(at, at + 64 * 1024));
        controller.close();
      },
    });
    return fetch(new URL(path, E2E_BASE_URL), {
      method: "POST",
      headers: { ...headers, origin: E2E_BASE_URL, cookie: session.cookieHeader(), "x-forwarded-for": session.ip },
      body: stream,
      duplex: "half",
      redirect: "manual",
    } as RequestInit);
  }
  return session.send(path, { method: "POST", raw: variant.raw ?? "", headers: variant.contentType === "" ? { "content-type": "" } : headers });
}

/** A clear refusal: 4xx, an error code from the registry with its message, no trace of the server's insides. */
async function expectClearRefusal(response: Response, label: string): Promise<void> {
  const text = await response.text();
  expect(response.status, `${label}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500);
  const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
  expect(Object.keys(ERRORS), label).toContain(body.error?.code);
  expect(body.error?.message?.length ?? 0, label).toBeGreaterThan(0);
  expect(text, label).not.toMatch(/\bat \S+ \(|node_modules|\.tsx?:\d+|Error:/);
}

async function stageOf(session: HttpSession): Promise<Stage> {
  const body = (await (await session.send("/api/auth/session")).json()) as { user?: { id: string }; mfaPending?: boolean } | null;
  if (!body?.user?.id) return "none";
  return body.mfaPending ? "pending" : "full";
}

test("every route handler has a bad-input target", () => {
  const handlers = apiRouteHandlers().map((h) => `${h.method} ${h.path}`);
  const covered = new Set([...TARGETS.map((t) => t.handler), `POST ${NEXTAUTH}`, ...GET_HANDLERS]);
  expect(handlers.filter((h) => !covered.has(h)), "handlers without bad-input cases").toEqual([]);
  expect([...covered].filter((h) => !handlers.includes(h)), "cases for handlers that no longer exist").toEqual([]);
  expect(serverActionFiles(), "server actions take input too: give them targets").toEqual([]);
});

for (const stage of ["none", "pending", "full"] as const) {
  test(`bad input to the routes a ${stage === "none" ? "signed-out browser" : `${stage} session`} uses: a clear 4xx, nothing written`, async ({ db, duo }) => {
    test.setTimeout(120_000);
    const email = newEmail("bad-input");
    const password = newPassword();
    await signUpOverHttp(E2E_BASE_URL, email, password);
    const { backupCodes } = await duo.giveTwoFactor(email);
    const newSession = async (): Promise<HttpSession> => {
      if (stage === "none") return new HttpSession(E2E_BASE_URL);
      if (stage === "pending") return passwordSession(E2E_BASE_URL, email, password);
      return fullSessionWithBackupCode(E2E_BASE_URL, email, password, backupCodes.shift() ?? "");
    };
    const session = await newSession();
    expect(await stageOf(session)).toBe(stage);
    const before = await accountSnapshot(db, email);

    let sent = 0;
    for (const target of TARGETS.filter((t) => t.stage === stage)) {
      const path = target.handler.split(" ")[1] ?? "/";
      for (const variant of variants(target)) {
        // Signed out, each request comes from a new address, so that the per-address sign-up limit never answers first.
        const from = stage === "none" ? new HttpSession(E2E_BASE_URL) : session;
        await expectClearRefusal(await sendVariant(from, path, variant), `${target.handler} with ${variant.name}`);
        sent += 1;
      }
    }
    expect(sent).toBeGreaterThan(50);
    expect(await accountSnapshot(db, email), "the database changed").toBe(before);
    expect(await db.user.count({ where: { email: SIGN_UP_EMAIL } }), "an account was created").toBe(0);
    expect(await stageOf(session), "the session changed stage").toBe(stage);
  });
}

/** Query strings and cookies that are not what a browser would send. */
const BAD_QUERIES = ["callbackUrl=%E0%A4%A", "callbackUrl=%", "%00=%00", `callbackUrl=${"%2F".repeat(3_000)}`, "callbackUrl=javascript%3Aalert(1)", "a[b][c]=1&a=2", "csrf=%ud800"];
const BAD_COOKIES = ["authjs.callback-url=%E0%A4%A", "authjs.csrf-token=%", `authjs.session-token=${"A".repeat(3_000)}`, "authjs.session-token=%00"];

test("Auth.js's routes and the health check never answer 5xx to odd queries, cookies and bodies, and hand out no session", async () => {
  test.setTimeout(120_000);
  const paths = ["/api/auth/session", "/api/auth/csrf", "/api/auth/providers", "/api/auth/signin", "/api/auth/signout", "/api/auth/error", "/api/health"];
  for (const path of paths) {
    for (const query of BAD_QUERIES) {
      const response = await new HttpSession(E2E_BASE_URL).send(`${path}?${query}`);
      expect(response.status, `GET ${path}?${query.slice(0, 40)}`).toBeLessThan(500);
    }
    for (const cookie of BAD_COOKIES) {
      const response = await new HttpSession(E2E_BASE_URL).send(path, { headers: { cookie } });
      expect(response.status, `GET ${path} with ${cookie.slice(0, 40)}`).toBeLessThan(500);
    }
  }

  const form = { email: "someone@example.com", password: "lantern meadow orchard" };
  for (const path of ["/api/auth/callback/credentials", "/api/auth/signin/credentials", "/api/auth/signout", "/api/auth/session"]) {
    const cases: Variant[] = [
      { name: "no CSRF token", raw: new URLSearchParams(form).toString(), contentType: "application/x-www-form-urlencoded" },
      { name: "a forged CSRF token", raw: new URLSearchParams({ ...form, csrfToken: "forged" }).toString(), contentType: "application/x-www-form-urlencoded" },
      { name: "JSON", raw: JSON.stringify(form), contentType: "application/json" },
      { name: "malformed JSON", raw: "{", contentType: "application/json" },
      { name: "invalid UTF-8", raw: new Uint8Array([0x65, 0x3d, 0xff, 0xfe]), contentType: "application/x-www-form-urlencoded" },
      { name: "a lone surrogate in the email", raw: `email=%ED%A0%80&password=x`, contentType: "application/x-www-form-urlencoded" },
      { name: "a 1 MB body", raw: `email=${"x".repeat(1024 * 1024)}`, contentType: "application/x-www-form-urlencoded" },
    ];
    for (const variant of cases) {
      const session = new HttpSession(E2E_BASE_URL);
      const response = await sendVariant(session, path, variant);
      const text = await response.text();
      const label = `POST ${path} with ${variant.name}`;
      expect(response.status, `${label}: ${text.slice(0, 200)}`).toBeLessThan(500);
      expect(text, label).not.toMatch(/\bat \S+ \(|node_modules|\.tsx?:\d+/);
      expect(session.sessionCookie, `${label} handed out a session`).toBeNull();
    }
  }
});
