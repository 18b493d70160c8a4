/**
 * Remembered browsers ("Don't ask again on this browser for N days"). The browser holds a random token
 * (256 bits) in an HttpOnly cookie; we keep only its SHA-256 hash. A fast hash is enough here: the token
 * has far more than the 112 bits NIST SP 800-63B asks before an unsalted one-way hash is acceptable.
 */
import { createHash, randomBytes } from "node:crypto";
import { getDb } from "../db/client";
import type { ClientInfo } from "../http/client-info";
import { browserLabel } from "./browser-label";

const TOKEN_BYTES = 32;
const DAY_MS = 24 * 60 * 60 * 1000;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export interface RememberedBrowser {
  token: string;
  expiresAt: Date;
}

/** Remembers this browser for `days` days after a passed second factor. */
export async function rememberBrowser(
  userId: string,
  client: ClientInfo,
  days: number,
  duoTrustedDeviceToken: string | null,
  now = new Date(),
): Promise<RememberedBrowser> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + days * DAY_MS);
  await getDb().trustedBrowser.create({
    data: {
      userId,
      tokenHash: hashToken(token),
      label: browserLabel(client.userAgent),
      ipAddress: client.ip,
      duoTrustedDeviceToken,
      createdAt: now,
      lastUsedAt: now,
      expiresAt,
    },
  });
  return { token, expiresAt };
}

export type RememberedRedemption =
  | { ok: true; token: string; expiresAt: Date; duoTrustedDeviceToken: string | null; browserId: string }
  | { ok: false; reason: "unknown" | "other-user" | "expired" | "revoked" | "raced" };

/**
 * Uses a remembered-browser token for `userId` at sign-in: valid only for its own user, before its
 * expiry, and not revoked. On success the token is rotated; the swap is conditional on the old hash, so
 * two sign-ins racing with one token (a stolen copy used beside the real one) cannot both pass.
 */
export async function redeemRememberedBrowser(userId: string, token: string, client: ClientInfo, now = new Date()): Promise<RememberedRedemption> {
  const db = getDb();
  const oldHash = hashToken(token);
  const row = await db.trustedBrowser.findUnique({ where: { tokenHash: oldHash } });
  if (!row) return { ok: false, reason: "unknown" };
  if (row.userId !== userId) return { ok: false, reason: "other-user" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.expiresAt <= now) return { ok: false, reason: "expired" };

  const rotated = newToken();
  const { count } = await db.trustedBrowser.updateMany({
    where: { id: row.id, tokenHash: oldHash, revokedAt: null, expiresAt: { gt: now } },
    data: { tokenHash: hashToken(rotated), lastUsedAt: now, ipAddress: client.ip },
  });
  if (count !== 1) return { ok: false, reason: "raced" };
  return { ok: true, token: rotated, expiresAt: row.expiresAt, duoTrustedDeviceToken: row.duoTrustedDeviceToken, browserId: row.id };
}

/** Duo's own remembered-device token for this browser, if Duo handed one out; passed to /preauth. */
export async function duoTokenForBrowser(userId: string, token: string, now = new Date()): Promise<string | null> {
  const row = await getDb().trustedBrowser.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.userId !== userId || row.revokedAt || row.expiresAt <= now) return null;
  return row.duoTrustedDeviceToken;
}

export interface BrowserSummary {
  id: string;
  label: string;
  ipAddress: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
}

export async function listRememberedBrowsers(userId: string, now = new Date()): Promise<BrowserSummary[]> {
  return getDb().trustedBrowser.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { lastUsedAt: "desc" },
    select: { id: true, label: true, ipAddress: true, createdAt: true, lastUsedAt: true, expiresAt: true },
  });
}

export async function revokeRememberedBrowser(userId: string, browserId: string, now = new Date()): Promise<boolean> {
  const { count } = await getDb().trustedBrowser.updateMany({ where: { id: browserId, userId, revokedAt: null }, data: { revokedAt: now } });
  return count === 1;
}

export async function revokeAllRememberedBrowsers(userId: string, now = new Date()): Promise<number> {
  const { count } = await getDb().trustedBrowser.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  return count;
}
