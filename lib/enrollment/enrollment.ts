/**
 * Turning two-factor authentication on, in four steps, each guarded by the step before:
 *   1. start: Duo /enroll gives a QR code (or, for a user Duo already knows, the user links that account);
 *   2. activation: /enroll_status says success once Duo Mobile scanned the code;
 *   3. confirmation: one real authentication with the new device (a challenge; lib/mfa);
 *   4. backup codes shown once and saved → the "require 2FA" flag is set.
 * The activation code and Duo's user id stay on the server; the browser polls our route, never Duo.
 */
import { recordAuthEvent } from "../audit/events";
import { issueBackupCodes, deleteBackupCodes } from "../backup-codes/store";
import { getConfig } from "../config/env";
import { getDb } from "../db/client";
import type { DuoEnrollment } from "../db/generated/client";
import { fail, ok, type ErrorCode, type Result } from "../errors";
import type { ClientInfo } from "../http/client-info";
import { log } from "../log";
import { getDuo, interactive, isOutage } from "../mfa/duo-access";
import { revokeAllRememberedBrowsers } from "../trusted-browsers/store";

/** How long a QR code may be scanned (Duo's `valid_secs`). */
export const ENROLLMENT_VALID_SECONDS = 10 * 60;

export type EnrollmentStep = "waiting" | "activated" | "confirmed" | "completed" | "invalid";

export type EnrollmentView =
  | { step: "none" }
  | {
      step: "waiting";
      id: string;
      barcodeUrl: string;
      expiresAt: string;
      /** Emulator mode only: opens the virtual Duo Mobile with this activation. */
      virtualPhoneUrl: string | null;
    }
  | { step: "activated" | "confirmed"; id: string; kind: "activation" | "link" }
  | { step: "expired" };

async function latestOpenEnrollment(userId: string): Promise<DuoEnrollment | null> {
  return getDb().duoEnrollment.findFirst({
    where: { userId, status: { in: ["waiting", "activated", "confirmed"] } },
    orderBy: { createdAt: "desc" },
  });
}

function virtualPhoneUrl(activationCode: string | null): string | null {
  const { duo } = getConfig();
  if (duo.mode !== "emulator" || !activationCode) return null;
  return `${duo.endpoint.origin}/phone?${new URLSearchParams({ activation: activationCode })}`;
}

function view(enrollment: DuoEnrollment | null, now = new Date()): EnrollmentView {
  if (!enrollment) return { step: "none" };
  if (enrollment.status === "waiting") {
    if (enrollment.expiresAt <= now || !enrollment.barcodeUrl) return { step: "expired" };
    return {
      step: "waiting",
      id: enrollment.id,
      barcodeUrl: enrollment.barcodeUrl,
      expiresAt: enrollment.expiresAt.toISOString(),
      virtualPhoneUrl: virtualPhoneUrl(enrollment.activationCode),
    };
  }
  if (enrollment.status === "activated" || enrollment.status === "confirmed") {
    return { step: enrollment.status, id: enrollment.id, kind: enrollment.kind === "link" ? "link" : "activation" };
  }
  return { step: "expired" };
}

export type StartResult = EnrollmentView | { step: "existing"; devices: number };

/**
 * Starts (or restarts) enrollment. A user Duo already knows by this username is offered to link that
 * account instead (`existing`), unless `force` asks for a new activation anyway.
 */
export async function startEnrollment(userId: string, options: { link?: boolean } = {}): Promise<Result<StartResult, ErrorCode>> {
  const db = getDb();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, twoFactorEnabled: true } });
  if (user.twoFactorEnabled) return fail("FORBIDDEN");
  const { anonymousUsers } = getConfig().duo;
  const duo = getDuo();

  if (!anonymousUsers) {
    const preauth = await duo.preauth({ username: user.email }, interactive());
    if (!preauth.ok) return fail(isOutage(preauth.error) ? "DUO_UNAVAILABLE" : "SERVICE_UNAVAILABLE");
    if (preauth.value.result === "auth") {
      if (!options.link) return ok({ step: "existing", devices: preauth.value.devices.length });
      await db.user.update({ where: { id: userId }, data: { duoUsername: user.email } });
      return ok(await replaceOpenEnrollments(userId, {
        kind: "link",
        duoUsername: user.email,
        status: "activated",
        expiresAt: new Date(Date.now() + ENROLLMENT_VALID_SECONDS * 1000),
      }));
    }
  }

  // Anonymous mode sends no username: Duo makes one up, and we address the user by user_id from now on.
  let enrolled = await duo.enroll({ ...(anonymousUsers ? {} : { username: user.email }), validSecs: ENROLLMENT_VALID_SECONDS }, interactive());
  if (!enrolled.ok && !anonymousUsers && enrolled.error.kind === "api" && enrolled.error.httpStatus === 400) {
    // Duo refuses /enroll for a username it already has (a previous QR code that expired unscanned left a
    // user without devices). A new activation then goes to a Duo-named user, addressed by user_id.
    enrolled = await duo.enroll({ validSecs: ENROLLMENT_VALID_SECONDS }, interactive());
  }
  if (!enrolled.ok) {
    if (enrolled.error.kind === "api" && !isOutage(enrolled.error)) log.warn("enroll.refused", { user: userId, code: String(enrolled.error.code) });
    return fail(isOutage(enrolled.error) ? "DUO_UNAVAILABLE" : "SERVICE_UNAVAILABLE");
  }
  const e = enrolled.value;
  return ok(await replaceOpenEnrollments(userId, {
    kind: "activation",
    duoUserId: e.userId,
    duoUsername: e.username,
    activationCode: e.activationCode,
    barcodeUrl: e.activationBarcode,
    expiresAt: new Date(e.expiration * 1000),
    status: "waiting",
  }));
}

async function replaceOpenEnrollments(
  userId: string,
  data: { kind: "activation" | "link"; duoUserId?: string; duoUsername: string; activationCode?: string; barcodeUrl?: string; expiresAt: Date; status: EnrollmentStep },
): Promise<EnrollmentView> {
  const db = getDb();
  // One enrollment at a time: a new QR code makes any earlier one useless here.
  const [, created] = await db.$transaction([
    db.duoEnrollment.updateMany({ where: { userId, status: { in: ["waiting", "activated", "confirmed"] } }, data: { status: "invalid" } }),
    db.duoEnrollment.create({ data: { userId, ...data } }),
  ]);
  return view(created);
}

/** Where enrollment stands; while waiting, asks Duo (/enroll_status) whether the code was scanned. */
export async function enrollmentProgress(userId: string): Promise<Result<EnrollmentView, ErrorCode>> {
  const enrollment = await latestOpenEnrollment(userId);
  if (!enrollment || enrollment.status !== "waiting") return ok(view(enrollment));
  if (enrollment.expiresAt <= new Date() || !enrollment.duoUserId || !enrollment.activationCode) {
    await getDb().duoEnrollment.updateMany({ where: { id: enrollment.id, status: "waiting" }, data: { status: "invalid" } });
    return ok({ step: "expired" });
  }
  const status = await getDuo().enrollStatus({ userId: enrollment.duoUserId, activationCode: enrollment.activationCode }, interactive());
  if (!status.ok) return fail(isOutage(status.error) ? "DUO_UNAVAILABLE" : "SERVICE_UNAVAILABLE");
  if (status.value === "waiting") return ok(view(enrollment));
  if (status.value === "invalid") {
    await getDb().duoEnrollment.updateMany({ where: { id: enrollment.id, status: "waiting" }, data: { status: "invalid" } });
    return ok({ step: "expired" });
  }
  if (status.value !== "success") return ok(view(enrollment));
  // Guarded by the status, so two polls that both see success move it on once.
  const moved = await getDb().duoEnrollment.updateMany({ where: { id: enrollment.id, status: "waiting" }, data: { status: "activated" } });
  if (moved.count === 1) {
    // From now on Duo knows this user: the confirmation push and every later call address it by user_id.
    await getDb().user.update({ where: { id: userId }, data: { duoUserId: enrollment.duoUserId, duoUsername: enrollment.duoUsername } });
  }
  return ok({ step: "activated", id: enrollment.id, kind: "activation" });
}

/** The new device passed one real authentication. */
export async function markEnrollmentConfirmed(userId: string): Promise<boolean> {
  const { count } = await getDb().duoEnrollment.updateMany({ where: { userId, status: "activated" }, data: { status: "confirmed" } });
  return count > 0;
}

/** Backup codes for the enrollment's last step, shown once; asking again replaces them. */
export async function enrollmentBackupCodes(userId: string): Promise<Result<string[], "FORBIDDEN">> {
  const enrollment = await latestOpenEnrollment(userId);
  if (!enrollment || enrollment.status !== "confirmed") return fail("FORBIDDEN");
  return ok(await issueBackupCodes(userId));
}

/**
 * The user saved the codes: two-factor authentication is on. Guarded by the enrollment's status (only
 * one request finishes it) and by backup codes existing.
 */
export async function finishEnrollment(userId: string, client: ClientInfo): Promise<Result<void, "FORBIDDEN">> {
  const db = getDb();
  const enrollment = await latestOpenEnrollment(userId);
  if (!enrollment || enrollment.status !== "confirmed") return fail("FORBIDDEN");
  if ((await db.backupCode.count({ where: { userId, usedAt: null } })) === 0) return fail("FORBIDDEN");
  const done = await db.duoEnrollment.updateMany({ where: { id: enrollment.id, status: "confirmed" }, data: { status: "completed" } });
  if (done.count !== 1) return fail("FORBIDDEN");
  await db.user.update({
    where: { id: userId },
    data: {
      twoFactorEnabled: true,
      twoFactorSince: new Date(),
      duoUsername: enrollment.duoUsername,
      ...(enrollment.duoUserId ? { duoUserId: enrollment.duoUserId } : {}),
    },
  });
  await recordAuthEvent({ userId, type: "2fa-enabled", result: "success", client });
  return ok(undefined);
}

/**
 * Turns two-factor authentication off: clears the flag, deletes the backup codes, revokes remembered
 * browsers. The user stays in Duo (this app has no Admin API access to delete it).
 */
export async function disableTwoFactor(userId: string, client: ClientInfo): Promise<void> {
  const db = getDb();
  await db.user.update({ where: { id: userId }, data: { twoFactorEnabled: false, twoFactorSince: null } });
  await deleteBackupCodes(userId);
  await revokeAllRememberedBrowsers(userId);
  await db.duoEnrollment.updateMany({ where: { userId, status: { in: ["waiting", "activated", "confirmed"] } }, data: { status: "invalid" } });
  await recordAuthEvent({ userId, type: "2fa-disabled", result: "success", client });
}
