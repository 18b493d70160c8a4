/**
 * Signed-in sessions, kept server-side beside the self-contained session token. The token alone cannot be
 * taken back once copied; its `sid` names a row here, and a token whose row has ended, expired or sat idle
 * is refused wherever the user is loaded (pages and account routes). That is what makes sign-out, "Sign
 * out" of another browser, a password change and the idle timeout real (OWASP ASVS 5.0 V7.3.1, V7.4.1,
 * V7.5.2; NIST SP 800-63B §7.2 at AAL2: 12 hours at most, 30 minutes idle).
 */
import { createHash, randomBytes } from "node:crypto";
import { getDb } from "../db/client";
import type { ClientInfo } from "../http/client-info";
import { browserLabel } from "../trusted-browsers/browser-label";
import { SESSION_MAX_AGE_SECONDS } from "./session-token";

/** A session unused for this long has ended: NIST SP 800-63B §7.2's AAL2 inactivity limit. */
export const SESSION_IDLE_TIMEOUT_SECONDS = 30 * 60;
/** `lastSeenAt` moves at most this often, so that loading pages is not one write per request. */
export const SESSION_TOUCH_INTERVAL_SECONDS = 60;
const SESSION_ID_BYTES = 16;

/** The row keeps only a hash of `sid`, as for every other token: 128 random bits need no slow hash. */
function sidHash(sid: string): string {
  return createHash("sha256").update(sid).digest("base64url");
}

export type SessionCheck = "active" | "ended";

/** Starts the session of a sign-in that passed its password; its id goes into the token as `sid`. */
export async function startSession(userId: string, client: ClientInfo, now = new Date()): Promise<string> {
  const sid = randomBytes(SESSION_ID_BYTES).toString("base64url");
  const db = getDb();
  // The user's rows that can never be live again go now, so the table holds live sessions, not history
  // (sign-ins and sign-outs stay in the audit log).
  await db.userSession.deleteMany({
    where: {
      userId,
      OR: [{ endedAt: { not: null } }, { expiresAt: { lte: now } }, { lastSeenAt: { lt: new Date(now.getTime() - SESSION_IDLE_TIMEOUT_SECONDS * 1000) } }],
    },
  });
  await db.userSession.create({
    data: {
      sidHash: sidHash(sid),
      userId,
      label: browserLabel(client.userAgent),
      ipAddress: client.ip,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
    },
  });
  return sid;
}

function isLive(row: { userId: string; endedAt: Date | null; expiresAt: Date; lastSeenAt: Date }, userId: string, now: Date): boolean {
  return (
    row.userId === userId &&
    row.endedAt === null &&
    row.expiresAt > now &&
    now.getTime() - row.lastSeenAt.getTime() <= SESSION_IDLE_TIMEOUT_SECONDS * 1000
  );
}

/**
 * Whether the token's session is still live, and a mark that it was used. A token without `sid` (issued
 * before sessions were kept) counts as ended: its holder signs in again.
 */
export async function checkSession(sid: string | undefined, userId: string, now = new Date()): Promise<SessionCheck> {
  if (!sid) return "ended";
  const db = getDb();
  const row = await db.userSession.findUnique({
    where: { sidHash: sidHash(sid) },
    select: { id: true, userId: true, endedAt: true, expiresAt: true, lastSeenAt: true },
  });
  if (!row || !isLive(row, userId, now)) return "ended";
  const touchBefore = new Date(now.getTime() - SESSION_TOUCH_INTERVAL_SECONDS * 1000);
  if (row.lastSeenAt < touchBefore) {
    // Conditional on the old mark and on the session not having ended meanwhile: a sign-out racing this
    // request is never undone by it, and concurrent requests write once.
    await db.userSession.updateMany({ where: { id: row.id, endedAt: null, lastSeenAt: { lt: touchBefore } }, data: { lastSeenAt: now } });
  }
  return "active";
}

/** Ends the session a token names (sign-out). */
export async function endSessionOfToken(userId: string, sid: string | undefined, now = new Date()): Promise<boolean> {
  if (!sid) return false;
  const { count } = await getDb().userSession.updateMany({ where: { sidHash: sidHash(sid), userId, endedAt: null }, data: { endedAt: now } });
  return count === 1;
}

/** Ends one session of the user's, named as the security page names it; false when not theirs or ended. */
export async function endSession(userId: string, sessionId: string, now = new Date()): Promise<boolean> {
  const { count } = await getDb().userSession.updateMany({ where: { id: sessionId, userId, endedAt: null }, data: { endedAt: now } });
  return count === 1;
}

/** Ends every session of the user's but the one of token `keepSid` (null: all of them). Returns how many. */
export async function endSessions(userId: string, keepSid: string | null, now = new Date()): Promise<number> {
  const { count } = await getDb().userSession.updateMany({
    where: { userId, endedAt: null, ...(keepSid ? { sidHash: { not: sidHash(keepSid) } } : {}) },
    data: { endedAt: now },
  });
  return count;
}

export interface SessionSummary {
  id: string;
  label: string;
  ipAddress: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

/** The user's live sessions, the one of token `currentSid` first, then the most recently used. */
export async function listSessions(userId: string, currentSid: string | null, now = new Date()): Promise<SessionSummary[]> {
  const currentHash = currentSid ? sidHash(currentSid) : null;
  const rows = await getDb().userSession.findMany({
    where: {
      userId,
      endedAt: null,
      expiresAt: { gt: now },
      lastSeenAt: { gte: new Date(now.getTime() - SESSION_IDLE_TIMEOUT_SECONDS * 1000) },
    },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, sidHash: true, label: true, ipAddress: true, createdAt: true, lastSeenAt: true },
  });
  const sessions = rows.map(({ sidHash: hash, ...row }) => ({ ...row, current: hash === currentHash }));
  return [...sessions.filter((s) => s.current), ...sessions.filter((s) => !s.current)];
}
