/**
 * A password-only (pending) session cannot make itself a signed-in one over HTTP: not by sending Auth.js's
 * session update claims of its own, not by replaying a challenge another sign-in consumed, not with
 * another user's passed challenge, not by tampering with the session cookie. Each time a protected API
 * route still answers 401 and /account still sends the browser to the second-factor step (or sign-in).
 * lib/auth/session-token.forged-upgrade.test.ts covers the same at the domain level.
 */
import type { PrismaClient } from "../lib/db/client";
import { newEmail, newPassword } from "./support/accounts";
import { HttpSession, passwordSession, signUpOverHttp } from "./support/http-session";
import { E2E_BASE_URL } from "./support/settings";
import { expect, test, type DuoFixture } from "./support/test";

const CHALLENGE_COOKIE = "__Host-mfa-challenge";

interface Account {
  email: string;
  password: string;
  backupCodes: string[];
  userId: string;
}

async function twoFactorAccount(db: PrismaClient, duo: DuoFixture, label: string): Promise<Account> {
  const email = newEmail(label);
  const password = newPassword();
  await signUpOverHttp(E2E_BASE_URL, email, password);
  const { backupCodes } = await duo.giveTwoFactor(email);
  const { id } = await db.user.findUniqueOrThrow({ where: { email } });
  return { email, password, backupCodes, userId: id };
}

/** What the server makes of the session: its view, a protected API route's answer, and where /account sends it. */
async function standing(session: HttpSession): Promise<{ pending: boolean | null; api: number; account: string | null }> {
  const view = (await (await session.send("/api/auth/session")).json()) as { user?: { id: string }; mfaPending?: boolean } | null;
  const api = await session.send("/api/account/browsers/revoke-all", { json: {} });
  await api.arrayBuffer();
  return { pending: view?.user?.id ? Boolean(view.mfaPending) : null, api: api.status, account: await session.pageRedirect("/account") };
}

async function expectStillPending(session: HttpSession, label: string): Promise<void> {
  const now = await standing(session);
  expect(now.pending, `${label}: the session is still pending`).toBe(true);
  expect(now.api, `${label}: a protected API route`).toBe(401);
  expect(now.account ?? "", `${label}: /account`).toMatch(/^\/mfa(\?|$)/);
}

async function pendingChallengeId(db: PrismaClient, userId: string): Promise<string> {
  const challenge = await db.mfaChallenge.findFirstOrThrow({ where: { userId, purpose: "sign-in", consumedAt: null }, orderBy: { createdAt: "desc" } });
  return challenge.id;
}

/** Claims a browser could send with Auth.js's update, each naming a higher assurance. */
function forgedUpdates(challengeIds: string[]): unknown[] {
  const now = Date.now();
  return [
    { assurance: "mfa" },
    { assurance: "remembered" },
    { assurance: "mfa", mfaPending: false, challengeId: null, pendingUntil: null, mfaAt: now },
    { user: { id: "someone-else" }, assurance: "mfa", sv: 99 },
    ...challengeIds.map((id) => ({ stepUpChallengeId: id })),
    ...challengeIds.map((id) => ({ challengeId: id, verified: true })),
  ];
}

async function postUpdate(session: HttpSession, data: unknown): Promise<number> {
  const response = await session.send("/api/auth/session", { json: { csrfToken: await session.csrfToken(), data } });
  await response.arrayBuffer();
  return response.status;
}

test("claims sent with Auth.js's session update never upgrade a pending session", async ({ db, duo }) => {
  const account = await twoFactorAccount(db, duo, "forge-update");
  const session = await passwordSession(E2E_BASE_URL, account.email, account.password);
  await expectStillPending(session, "after the password");
  const own = await pendingChallengeId(db, account.userId);

  for (const data of forgedUpdates([own])) {
    expect(await postUpdate(session, data)).toBe(200);
    await expectStillPending(session, `after update ${JSON.stringify(data)}`);
  }
  expect((await db.mfaChallenge.findUniqueOrThrow({ where: { id: own } })).consumedAt).toBeNull();
  expect(await db.authEvent.count({ where: { userId: account.userId, type: "second-factor", result: "success" } })).toBe(0);
});

test("a challenge consumed by one sign-in cannot complete another", async ({ db, duo }) => {
  const account = await twoFactorAccount(db, duo, "forge-replay");
  const first = await passwordSession(E2E_BASE_URL, account.email, account.password);
  const firstChallenge = await pendingChallengeId(db, account.userId);
  const second = await passwordSession(E2E_BASE_URL, account.email, account.password);
  const secondChallenge = await pendingChallengeId(db, account.userId);
  expect(secondChallenge).not.toBe(firstChallenge);

  const code = account.backupCodes[0] ?? "";
  expect((await first.postJson("/api/mfa/verify", { method: "backup-code", code })).body.status).toBe("passed");
  expect((await standing(first)).pending).toBe(false);

  // The second sign-in tries everything the first one had: its code, its challenge (as the challenge
  // cookie, and in the update), and its completion.
  const replayed = await second.postJson("/api/mfa/verify", { method: "backup-code", code });
  expect(replayed.status).toBe(400);
  expect(replayed.body.error?.code).toBe("CODE_INVALID");
  second.cookies.set(CHALLENGE_COOKIE, firstChallenge);
  const completed = await second.postJson("/api/mfa/complete", {});
  expect(completed.status).toBe(401);
  expect(completed.body.error?.code).toBe("MFA_REQUIRED");
  for (const data of forgedUpdates([firstChallenge])) expect(await postUpdate(second, data)).toBe(200);
  // The first session's own cookie is worth nothing to the second's token: replaying the update with it.
  await expectStillPending(second, "after replaying the first sign-in's challenge");
  expect(await db.authEvent.count({ where: { userId: account.userId, type: "second-factor", result: "success" } })).toBe(1);
});

test("another user's passed challenge does not complete this user's sign-in", async ({ db, duo }) => {
  const mine = await twoFactorAccount(db, duo, "forge-mine");
  const theirs = await twoFactorAccount(db, duo, "forge-theirs");
  const session = await passwordSession(E2E_BASE_URL, mine.email, mine.password);
  const attacker = await passwordSession(E2E_BASE_URL, theirs.email, theirs.password);
  const theirChallenge = await pendingChallengeId(db, theirs.userId);
  // Their push was approved: the challenge passed but is not yet consumed by their session.
  await db.mfaChallenge.update({ where: { id: theirChallenge }, data: { verifiedAt: new Date(), verifiedMethod: "push" } });

  session.cookies.set(CHALLENGE_COOKIE, theirChallenge);
  for (const path of ["/api/mfa/complete", "/api/mfa/status", "/api/mfa/send"]) {
    const { status, body } = await session.postJson(path, path.endsWith("send") ? { kind: "push", device: "auto" } : {});
    expect(body.status, `${path}: ${JSON.stringify(body)}`).not.toBe("passed");
    expect(status).not.toBe(500);
  }
  for (const data of forgedUpdates([theirChallenge])) expect(await postUpdate(session, data)).toBe(200);
  await expectStillPending(session, "after presenting another user's passed challenge");
  expect((await db.mfaChallenge.findUniqueOrThrow({ where: { id: theirChallenge } })).consumedAt).toBeNull();

  // Their challenge still completes their own sign-in: it was not spent by the attempt.
  expect((await attacker.postJson("/api/mfa/complete", {})).body.status).toBe("passed");
});

test("a tampered or forged session cookie counts as signed out", async ({ db, duo }) => {
  const account = await twoFactorAccount(db, duo, "forge-cookie");
  const session = await passwordSession(E2E_BASE_URL, account.email, account.password);
  const [name, value] = session.sessionCookie ?? ["", ""];
  expect(name).toMatch(/authjs\.session-token$/);

  const flip = (text: string, at: number) => `${text.slice(0, at)}${text[at] === "A" ? "B" : "A"}${text.slice(at + 1)}`;
  const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
  const claims = Buffer.from(JSON.stringify({ uid: account.userId, sub: account.userId, assurance: "mfa", challengeId: null, authTime: Math.floor(Date.now() / 1000), sv: 0 })).toString("base64url");
  const forgeries = {
    "one character flipped in the ciphertext": flip(value, Math.floor(value.length / 2)),
    "one character flipped in the header": flip(value, 5),
    "the tag cut off": value.slice(0, value.lastIndexOf(".") + 1),
    "an unsigned JWT claiming mfa": `${header}.${claims}.`,
    "the header of the real token with forged claims": `${value.split(".")[0] ?? ""}.${claims}`,
  };
  for (const [label, forged] of Object.entries(forgeries)) {
    const browser = new HttpSession(E2E_BASE_URL);
    browser.cookies.set(name, forged);
    const now = await standing(browser);
    expect(now.pending, `${label}: no session`).toBeNull();
    expect(now.api, label).toBe(401);
    expect(now.account ?? "", label).toMatch(/^\/sign-in(\?|$)/);
  }
  // The genuine cookie still works as what it is: pending.
  await expectStillPending(session, "the untouched cookie");
});
