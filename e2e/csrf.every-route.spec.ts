/**
 * CSRF: every state-changing route refuses a request another site could make a browser send (a hostile
 * Origin, `Origin: null`, no Origin with a cross-site Sec-Fetch-Site), while the request carries a valid
 * session of the stage the route serves, so the refusal is the origin check's and not the auth check's.
 * Each refusal is 403 CROSS_ORIGIN, sets no cookie and changes nothing in the database; then the same
 * request from the app's own origin is accepted, which proves the session was good for the route.
 *
 * The route list comes from app/api/**\/route.ts: a state-changing handler added without a row here
 * fails the first test.
 */
import type { PrismaClient } from "../lib/db/client";
import { HttpSession, passwordSession, signUpOverHttp, fullSessionWithBackupCode } from "./support/http-session";
import { newEmail, newPassword } from "./support/accounts";
import { serverActionFiles, stateChangingApiHandlers } from "./support/routes";
import { E2E_BASE_URL } from "./support/settings";
import { accountSnapshot } from "./support/snapshot";
import { expect, test } from "./support/test";

/** "enrolling": a signed-in account without 2FA, the stage the enrollment routes serve. */
type Stage = "none" | "pending" | "full" | "enrolling";

interface CsrfCase {
  /** `METHOD /path` as the request is sent. */
  request: string;
  /** The route file's handler it exercises (`METHOD /path` as in app/api). */
  handler: string;
  stage: Stage;
  /** A valid request for the route, from this session. */
  body(session: HttpSession, account: Account): Promise<{ json?: unknown; form?: Record<string, string> }>;
  /** What the route answers the same request from the app's own origin. */
  accepted: { status: number; code?: string };
}

interface Account {
  email: string;
  password: string;
  backupCodes: string[];
}

const NEXTAUTH = "POST /api/auth/[...nextauth]";

/** In the order they run within a stage: those that end the session come last. */
const CASES: CsrfCase[] = [
  { request: "POST /api/sign-up", handler: "POST /api/sign-up", stage: "none", body: async () => ({ json: { email: newEmail("csrf-new"), password: newPassword() } }), accepted: { status: 201 } },
  {
    request: "POST /api/auth/callback/credentials",
    handler: NEXTAUTH,
    stage: "none",
    body: async (session, account) => ({ form: { email: account.email, password: account.password, csrfToken: await session.csrfToken() } }),
    accepted: { status: 302 },
  },
  {
    request: "POST /api/auth/signin/credentials",
    handler: NEXTAUTH,
    stage: "none",
    body: async (session) => ({ form: { csrfToken: await session.csrfToken() } }),
    accepted: { status: 302 },
  },

  { request: "POST /api/mfa/remember", handler: "POST /api/mfa/remember", stage: "pending", body: async () => ({ json: { remember: true } }), accepted: { status: 200 } },
  { request: "POST /api/mfa/status", handler: "POST /api/mfa/status", stage: "pending", body: async () => ({ json: {} }), accepted: { status: 200 } },
  {
    request: "POST /api/mfa/verify",
    handler: "POST /api/mfa/verify",
    stage: "pending",
    body: async () => ({ json: { method: "passcode", code: "000000" } }),
    accepted: { status: 400, code: "CODE_INVALID" },
  },
  { request: "POST /api/mfa/complete", handler: "POST /api/mfa/complete", stage: "pending", body: async () => ({ json: {} }), accepted: { status: 401, code: "MFA_REQUIRED" } },
  {
    request: "POST /api/auth/session",
    handler: NEXTAUTH,
    stage: "pending",
    body: async (session) => ({ json: { csrfToken: await session.csrfToken(), data: { assurance: "mfa" } } }),
    accepted: { status: 200 },
  },
  { request: "POST /api/mfa/send", handler: "POST /api/mfa/send", stage: "pending", body: async () => ({ json: { kind: "push", device: "auto" } }), accepted: { status: 200 } },
  { request: "POST /api/mfa/cancel", handler: "POST /api/mfa/cancel", stage: "pending", body: async () => ({ json: {} }), accepted: { status: 200 } },

  {
    request: "POST /api/auth/signout",
    handler: NEXTAUTH,
    stage: "full",
    body: async (session) => ({ form: { csrfToken: await session.csrfToken() } }),
    accepted: { status: 302 },
  },
  { request: "POST /api/mfa/step-up", handler: "POST /api/mfa/step-up", stage: "full", body: async () => ({ json: {} }), accepted: { status: 200 } },
  { request: "POST /api/mfa/enrollment/start", handler: "POST /api/mfa/enrollment/start", stage: "enrolling", body: async () => ({ json: {} }), accepted: { status: 200 } },
  { request: "POST /api/mfa/enrollment/status", handler: "POST /api/mfa/enrollment/status", stage: "enrolling", body: async () => ({ json: {} }), accepted: { status: 200 } },
  { request: "POST /api/mfa/enrollment/confirm", handler: "POST /api/mfa/enrollment/confirm", stage: "enrolling", body: async () => ({ json: {} }), accepted: { status: -1 } },
  { request: "POST /api/mfa/enrollment/backup-codes", handler: "POST /api/mfa/enrollment/backup-codes", stage: "enrolling", body: async () => ({ json: {} }), accepted: { status: -1 } },
  { request: "POST /api/mfa/enrollment/finish", handler: "POST /api/mfa/enrollment/finish", stage: "enrolling", body: async () => ({ json: {} }), accepted: { status: -1 } },
  {
    request: "POST /api/account/browsers/revoke",
    handler: "POST /api/account/browsers/revoke",
    stage: "full",
    body: async () => ({ json: { id: "no-such-browser" } }),
    accepted: { status: 404, code: "NOT_FOUND" },
  },
  { request: "POST /api/account/browsers/revoke-all", handler: "POST /api/account/browsers/revoke-all", stage: "full", body: async () => ({ json: {} }), accepted: { status: 200 } },
  {
    request: "POST /api/account/sessions/sign-out",
    handler: "POST /api/account/sessions/sign-out",
    stage: "full",
    body: async () => ({ json: { id: "no-such-session" } }),
    accepted: { status: 404, code: "NOT_FOUND" },
  },
  { request: "POST /api/account/sessions/sign-out-others", handler: "POST /api/account/sessions/sign-out-others", stage: "full", body: async () => ({ json: {} }), accepted: { status: 200 } },
  { request: "POST /api/account/backup-codes", handler: "POST /api/account/backup-codes", stage: "full", body: async () => ({ json: {} }), accepted: { status: 200 } },
  { request: "POST /api/account/two-factor/disable", handler: "POST /api/account/two-factor/disable", stage: "full", body: async () => ({ json: {} }), accepted: { status: 200 } },
  {
    request: "POST /api/account/password",
    handler: "POST /api/account/password",
    stage: "full",
    body: async (_session, account) => ({ json: { currentPassword: account.password, newPassword: newPassword() } }),
    accepted: { status: 200 },
  },
];

/** The ways another site's page can make a browser send a state-changing request. */
const HOSTILE: { name: string; origin: string | null; headers?: Record<string, string> }[] = [
  { name: "a hostile Origin", origin: "https://evil.example" },
  { name: "a look-alike Origin", origin: `${E2E_BASE_URL}.evil.example` },
  { name: "the app's host on another port", origin: E2E_BASE_URL.replace(/:\d+$/, ":1") },
  { name: "Origin: null (sandboxed frame, data: URL)", origin: "null" },
  { name: "no Origin, Sec-Fetch-Site: cross-site", origin: null, headers: { "sec-fetch-site": "cross-site" } },
  { name: "no Origin at all", origin: null },
];

test("every state-changing route and server action has a CSRF case", () => {
  const handlers = stateChangingApiHandlers().map((handler) => `${handler.method} ${handler.path}`);
  const covered = new Set(CASES.map((c) => c.handler));
  expect(handlers.length).toBeGreaterThan(10);
  expect(handlers.filter((handler) => !covered.has(handler)), "state-changing handlers without a CSRF case").toEqual([]);
  expect([...covered].filter((handler) => !handlers.includes(handler)), "CSRF cases for handlers that no longer exist").toEqual([]);
  // Server actions are POSTs to pages; there are none today. One added must get a case (the gate's origin
  // check covers every non-GET request, pages included: see the page test below).
  expect(serverActionFiles()).toEqual([]);
});

async function newAccount(db: PrismaClient, twoFactor: (email: string) => Promise<{ backupCodes: string[] }>): Promise<Account> {
  const email = newEmail("csrf");
  const password = newPassword();
  await signUpOverHttp(E2E_BASE_URL, email, password);
  const { backupCodes } = await twoFactor(email);
  expect(await db.user.count({ where: { email } })).toBe(1);
  return { email, password, backupCodes };
}

async function sessionFor(stage: Stage, account: Account): Promise<HttpSession> {
  if (stage === "none") return new HttpSession(E2E_BASE_URL);
  if (stage === "pending" || stage === "enrolling") return passwordSession(E2E_BASE_URL, account.email, account.password);
  const code = account.backupCodes.shift();
  if (!code) throw new Error("out of backup codes");
  return fullSessionWithBackupCode(E2E_BASE_URL, account.email, account.password, code);
}

async function stageOf(session: HttpSession): Promise<"none" | "pending" | "full"> {
  const response = await session.send("/api/auth/session");
  const body = (await response.json()) as { user?: { id: string }; mfaPending?: boolean } | null;
  if (!body?.user?.id) return "none";
  return body.mfaPending ? "pending" : "full";
}

const STAGE_NAMES: Record<Stage, string> = {
  none: "a signed-out browser",
  pending: "a pending session",
  full: "a full session with a fresh second factor",
  enrolling: "a signed-in session without 2FA",
};

for (const stage of ["none", "pending", "full", "enrolling"] as const) {
  test(`with ${STAGE_NAMES[stage]}, every route refuses cross-site requests and changes nothing`, async ({ db, duo }) => {
    const account = await newAccount(db, async (email) => (stage === "enrolling" ? { backupCodes: [] } : duo.giveTwoFactor(email)));
    const expectedStage = stage === "enrolling" ? "full" : stage;
    let session = await sessionFor(stage, account);
    for (const csrfCase of CASES.filter((c) => c.stage === stage)) {
      const [method = "POST", path = "/"] = csrfCase.request.split(" ");
      expect(await stageOf(session), `${csrfCase.request}: the session is ${stage} before the attempts`).toBe(expectedStage);
      const body = await csrfCase.body(session, account);
      const bodyJson = JSON.stringify(body);
      const before = await accountSnapshot(db, account.email);
      const newEmailInBody = (body.json as { email?: string } | undefined)?.email;
      const cookiesBefore = session.cookieHeader();

      for (const hostile of HOSTILE) {
        const response = await session.send(path, { ...body, method, origin: hostile.origin, headers: hostile.headers });
        const text = await response.text();
        const label = `${csrfCase.request} with ${hostile.name}`;
        expect(response.status, `${label}: ${text}`).toBe(403);
        expect((JSON.parse(text) as { error: { code: string } }).error.code, label).toBe("CROSS_ORIGIN");
        expect(response.headers.getSetCookie(), `${label} set a cookie`).toEqual([]);
      }
      expect(session.cookieHeader()).toBe(cookiesBefore);
      expect(await accountSnapshot(db, account.email), `${csrfCase.request}: the database changed`).toBe(before);
      if (newEmailInBody) expect(await db.user.count({ where: { email: newEmailInBody } })).toBe(0);
      expect(await stageOf(session), `${csrfCase.request}: the session survived the attempts`).toBe(expectedStage);

      // The same request from our own origin goes through: the session was good for this route.
      const accepted = await session.send(path, { ...JSON.parse(bodyJson), method });
      const text = await accepted.text();
      if (csrfCase.accepted.status === -1) {
        // The route's own answer (the enrollment's state decides which), not the gate's auth answer.
        expect(accepted.status, `${csrfCase.request} from our origin: ${text}`).not.toBe(401);
      } else {
        expect(accepted.status, `${csrfCase.request} from our origin: ${text}`).toBe(csrfCase.accepted.status);
      }
      if (csrfCase.accepted.code) expect(text).toContain(`"${csrfCase.accepted.code}"`);
      expect(text).not.toContain("CROSS_ORIGIN");
      if (stage === "none" && csrfCase.request === "POST /api/auth/callback/credentials") {
        expect(session.sessionCookie, "the same sign-in from our origin signs in").not.toBeNull();
        session = new HttpSession(E2E_BASE_URL);
      }
      if (csrfCase.request === "POST /api/auth/signout") {
        expect(await stageOf(session), "the same sign-out from our origin signs out").toBe("none");
        session = await sessionFor(stage, account);
      }
    }
  });
}

test("a cross-site POST to a page (a server action's shape) is refused by the gate", async ({ db, duo }) => {
  const account = await newAccount(db, (email) => duo.giveTwoFactor(email));
  const session = await sessionFor("full", account);
  for (const path of ["/", "/account", "/account/security", "/mfa", "/sign-in"]) {
    for (const hostile of HOSTILE) {
      const response = await session.send(path, { method: "POST", origin: hostile.origin, headers: { ...hostile.headers, "next-action": "0".repeat(40), "content-type": "text/plain;charset=UTF-8" }, raw: "[]" });
      expect(response.status, `POST ${path} with ${hostile.name}`).toBe(403);
      expect(await response.text()).toContain("CROSS_ORIGIN");
    }
  }
});
