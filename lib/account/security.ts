/** The security page: what it shows, and the changes it makes. */
import { recordAuthEvent, type AuthEventType } from "../audit/events";
import { endSession, endSessions, listSessions, type SessionSummary } from "../auth/sessions";
import { BACKUP_CODES_LOW_WATERMARK } from "../backup-codes/codes";
import { countRemainingBackupCodes, issueBackupCodes } from "../backup-codes/store";
import { getDb } from "../db/client";
import { disableTwoFactor } from "../enrollment/enrollment";
import type { ClientInfo } from "../http/client-info";
import { duoUserOf, getDuo, interactive } from "../mfa/duo-access";
import { browserLabel } from "../trusted-browsers/browser-label";
import { listRememberedBrowsers, revokeAllRememberedBrowsers, revokeRememberedBrowser, type BrowserSummary } from "../trusted-browsers/store";

/** How many recent events the activity list shows. */
export const ACTIVITY_ITEMS = 20;

export interface DuoDeviceSummary {
  id: string;
  name: string;
  type: string;
  capabilities: string[];
  number: string | null;
}

export interface ActivityItem {
  id: string;
  at: Date;
  type: string;
  method: string | null;
  result: string;
  ipAddress: string | null;
  browser: string;
}

export interface SecurityOverview {
  email: string;
  twoFactorEnabled: boolean;
  twoFactorSince: Date | null;
  /** Null when Duo could not be asked (unreachable), or 2FA is off. */
  devices: DuoDeviceSummary[] | null;
  backupCodesRemaining: number;
  backupCodesLow: boolean;
  browsers: BrowserSummary[];
  sessions: SessionSummary[];
  activity: ActivityItem[];
}

/** `currentSid`: the asking session's id, so the list can say which session is this one. */
export async function securityOverview(userId: string, currentSid: string | null): Promise<SecurityOverview> {
  const db = getDb();
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, twoFactorEnabled: true, twoFactorSince: true, duoUserId: true, duoUsername: true },
  });
  const [devices, backupCodesRemaining, browsers, sessions, events] = await Promise.all([
    user.twoFactorEnabled ? duoDevices(user) : Promise.resolve(null),
    countRemainingBackupCodes(userId),
    listRememberedBrowsers(userId),
    listSessions(userId, currentSid),
    db.authEvent.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: ACTIVITY_ITEMS }),
  ]);
  return {
    email: user.email,
    twoFactorEnabled: user.twoFactorEnabled,
    twoFactorSince: user.twoFactorSince,
    devices,
    backupCodesRemaining,
    backupCodesLow: user.twoFactorEnabled && backupCodesRemaining <= BACKUP_CODES_LOW_WATERMARK,
    browsers,
    sessions,
    activity: events.map((event) => ({
      id: event.id,
      at: event.createdAt,
      type: event.type,
      method: event.method,
      result: event.result,
      ipAddress: event.ipAddress,
      browser: browserLabel(event.userAgent),
    })),
  };
}

async function duoDevices(user: { duoUserId: string | null; duoUsername: string | null; email: string }): Promise<DuoDeviceSummary[] | null> {
  const preauth = await getDuo().preauth(duoUserOf(user), interactive());
  if (!preauth.ok) return null;
  if (preauth.value.result !== "auth") return [];
  return preauth.value.devices.map((device) => ({
    id: device.device,
    name: device.displayName || device.name || (device.type === "token" ? "Hardware token" : "Phone"),
    type: device.type ?? "phone",
    capabilities: device.capabilities.filter((c) => c !== "auto"),
    number: device.number || null,
  }));
}

async function record(userId: string, type: AuthEventType, client: ClientInfo): Promise<void> {
  await recordAuthEvent({ userId, type, result: "success", client });
}

export async function regenerateBackupCodes(userId: string, client: ClientInfo): Promise<string[]> {
  const codes = await issueBackupCodes(userId);
  await record(userId, "backup-codes", client);
  return codes;
}

export async function forgetBrowser(userId: string, browserId: string, client: ClientInfo): Promise<boolean> {
  const revoked = await revokeRememberedBrowser(userId, browserId);
  if (revoked) await record(userId, "remembered-browser", client);
  return revoked;
}

export async function forgetAllBrowsers(userId: string, client: ClientInfo): Promise<number> {
  const count = await revokeAllRememberedBrowsers(userId);
  await record(userId, "remembered-browser", client);
  return count;
}

/** Signs out one other session of the user's (its token stops working at its next request). */
export async function signOutSession(userId: string, sessionId: string, client: ClientInfo): Promise<boolean> {
  const ended = await endSession(userId, sessionId);
  if (ended) await record(userId, "session-ended", client);
  return ended;
}

/** Signs out every session of the user's but the asking one. */
export async function signOutOtherSessions(userId: string, currentSid: string | null, client: ClientInfo): Promise<number> {
  const count = await endSessions(userId, currentSid);
  if (count > 0) await record(userId, "session-ended", client);
  return count;
}

export async function turnOffTwoFactor(userId: string, client: ClientInfo): Promise<void> {
  await disableTwoFactor(userId, client);
}
