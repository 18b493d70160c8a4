/**
 * The demo account of the embedded default, so that a fresh clone can sign in at once. It is created only
 * for the local SQLite database outside production, and its password obeys the same rules as any other.
 */
import { getDb } from "../db/client";
import { DEFAULT_DATABASE_URL } from "../db/url";
import type { AppConfig } from "../config/env";
import { checkNewPassword, hashPassword } from "./password";

export const DEMO_EMAIL = "demo@example.com";
export const DEMO_PASSWORD = "violet-harbor-lantern-42";

export function demoAccountApplies(config: AppConfig): boolean {
  return !config.isProduction && config.database.url === DEFAULT_DATABASE_URL;
}

/** Creates the demo account unless it exists; returns true when it was created now. */
export async function ensureDemoAccount(config: AppConfig): Promise<boolean> {
  const rules = checkNewPassword(DEMO_PASSWORD, { email: DEMO_EMAIL, appName: config.appName });
  if (!rules.ok) throw new Error(`The demo password breaks the password rules (${rules.code}).`);
  const db = getDb();
  if (await db.user.findUnique({ where: { email: DEMO_EMAIL }, select: { id: true } })) return false;
  await db.user.create({ data: { email: DEMO_EMAIL, passwordHash: await hashPassword(DEMO_PASSWORD) } });
  return true;
}
