/**
 * A session token is honoured only while its server-side session lives: a copy of the cookie stops
 * working when the session is signed out (here or from another browser), when the password changes, after
 * the idle timeout, and at the absolute lifetime. No session can end another user's.
 */
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import { changePassword } from "../account/password-change";
import { hashPassword } from "./password";
import { SESSION_MAX_AGE_SECONDS } from "./session-token";
import {
  SESSION_IDLE_TIMEOUT_SECONDS,
  SESSION_TOUCH_INTERVAL_SECONDS,
  checkSession,
  endSession,
  endSessionOfToken,
  endSessions,
  listSessions,
  startSession,
} from "./sessions";

const db = withTestDatabase();
const client = { ip: "198.51.100.7", userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15" };
let counter = 0;
const newUser = async (passwordHash = "x") => (await db.client.user.create({ data: { email: `session${++counter}@example.com`, passwordHash } })).id;
const at = (start: Date, seconds: number) => new Date(start.getTime() + seconds * 1000);

describe("a session", () => {
  it("is live after sign-in, and its row keeps no copy of the token's id", async () => {
    const userId = await newUser();
    const sid = await startSession(userId, client);
    expect(await checkSession(sid, userId)).toBe("active");
    const rows = await db.client.userSession.findMany({ where: { userId } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(sid);
    expect(rows[0]?.label).toBe("Safari on macOS");
  });

  it("ends at sign-out: the same token is refused afterwards", async () => {
    const userId = await newUser();
    const sid = await startSession(userId, client);
    expect(await endSessionOfToken(userId, sid)).toBe(true);
    expect(await checkSession(sid, userId)).toBe("ended");
    expect(await endSessionOfToken(userId, sid)).toBe(false);
  });

  it("is refused for another user, and cannot be ended by one", async () => {
    const alice = await newUser();
    const mallory = await newUser();
    const sid = await startSession(alice, client);
    expect(await checkSession(sid, mallory)).toBe("ended");
    const [row] = await db.client.userSession.findMany({ where: { userId: alice } });
    expect(await endSession(mallory, row!.id)).toBe(false);
    expect(await endSessionOfToken(mallory, sid)).toBe(false);
    expect(await checkSession(sid, alice)).toBe("active");
  });

  it("is refused without an id, or with one that was never issued", async () => {
    const userId = await newUser();
    expect(await checkSession(undefined, userId)).toBe("ended");
    expect(await checkSession("never-issued", userId)).toBe("ended");
  });

  it(`ends after ${SESSION_IDLE_TIMEOUT_SECONDS / 60} idle minutes, and use keeps it alive`, async () => {
    const userId = await newUser();
    const start = new Date();
    const sid = await startSession(userId, client, start);
    const almostIdle = at(start, SESSION_IDLE_TIMEOUT_SECONDS - 1);
    expect(await checkSession(sid, userId, almostIdle)).toBe("active");
    // That use moved lastSeenAt: another almost-idle stretch from there is still fine.
    expect(await checkSession(sid, userId, at(almostIdle, SESSION_IDLE_TIMEOUT_SECONDS - 1))).toBe("active");
    expect(await checkSession(sid, userId, at(almostIdle, 2 * SESSION_IDLE_TIMEOUT_SECONDS))).toBe("ended");
  });

  it("writes its last use at most once a minute", async () => {
    const userId = await newUser();
    const start = new Date();
    const sid = await startSession(userId, client, start);
    await checkSession(sid, userId, at(start, SESSION_TOUCH_INTERVAL_SECONDS - 1));
    const [unchanged] = await db.client.userSession.findMany({ where: { userId } });
    expect(unchanged?.lastSeenAt.getTime()).toBe(start.getTime());
    await checkSession(sid, userId, at(start, SESSION_TOUCH_INTERVAL_SECONDS + 1));
    const [moved] = await db.client.userSession.findMany({ where: { userId } });
    expect(moved?.lastSeenAt.getTime()).toBe(at(start, SESSION_TOUCH_INTERVAL_SECONDS + 1).getTime());
  });

  it("ends at its absolute lifetime, however active", async () => {
    const userId = await newUser();
    const start = new Date();
    const sid = await startSession(userId, client, start);
    const lastUse = at(start, SESSION_MAX_AGE_SECONDS - 10 * 60);
    for (let now = start; now < lastUse; now = at(now, SESSION_IDLE_TIMEOUT_SECONDS - 60)) {
      expect(await checkSession(sid, userId, now)).toBe("active");
    }
    expect(await checkSession(sid, userId, lastUse)).toBe("active");
    // Ten minutes after its last use: not idle, but past its lifetime.
    expect(await checkSession(sid, userId, at(start, SESSION_MAX_AGE_SECONDS + 1))).toBe("ended");
  });
});

describe("signing out other sessions", () => {
  it("ends every session but this one, and lists what is left, this one first", async () => {
    const userId = await newUser();
    const here = await startSession(userId, client);
    const phone = await startSession(userId, { ip: "203.0.113.9", userAgent: null });
    const laptop = await startSession(userId, client);
    expect((await listSessions(userId, here)).map((s) => s.current)).toEqual([true, false, false]);
    expect(await endSessions(userId, here)).toBe(2);
    expect(await checkSession(phone, userId)).toBe("ended");
    expect(await checkSession(laptop, userId)).toBe("ended");
    expect(await checkSession(here, userId)).toBe("active");
    const left = await listSessions(userId, here);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ current: true, ipAddress: client.ip });
  });

  it("one at a time, by the id the security page shows", async () => {
    const userId = await newUser();
    const here = await startSession(userId, client);
    const other = await startSession(userId, client);
    const target = (await listSessions(userId, here)).find((s) => !s.current);
    expect(await endSession(userId, target!.id)).toBe(true);
    expect(await checkSession(other, userId)).toBe("ended");
    expect(await checkSession(here, userId)).toBe("active");
  });
});

describe("the table", () => {
  it("keeps only sessions that can still be live: a new sign-in clears the user's ended, expired and idle rows", async () => {
    const userId = await newUser();
    const start = new Date();
    const signedOut = await startSession(userId, client, start);
    await endSessionOfToken(userId, signedOut, start);
    await startSession(userId, client, start); // will sit idle
    const later = at(start, SESSION_IDLE_TIMEOUT_SECONDS + 1);
    const live = await startSession(userId, client, at(start, SESSION_IDLE_TIMEOUT_SECONDS - 60));
    const fresh = await startSession(userId, client, later);
    const rows = await db.client.userSession.findMany({ where: { userId } });
    expect(rows).toHaveLength(2);
    expect(await checkSession(live, userId, later)).toBe("active");
    expect(await checkSession(fresh, userId, later)).toBe("active");
  });
});

describe("a password change", () => {
  it("ends every session of the user, the asking one included", async () => {
    const oldPassword = "an old but long passphrase";
    const userId = await newUser(await hashPassword(oldPassword));
    const first = await startSession(userId, client);
    const second = await startSession(userId, client);
    const changed = await changePassword(userId, { currentPassword: oldPassword, newPassword: "a brand new long passphrase" }, client);
    expect(changed.ok).toBe(true);
    expect(await checkSession(first, userId)).toBe("ended");
    expect(await checkSession(second, userId)).toBe("ended");
    expect(await listSessions(userId, first)).toEqual([]);
  });
});
