/**
 * End-to-end helpers around Duo: the emulator's control API (the user's phone) and a shortcut that
 * gives an account two-factor authentication without going through enrollment, for tests of /mfa.
 */
import { readFileSync } from "node:fs";
import { createPrismaClient, type PrismaClient } from "../../lib/db/client";
import { issueBackupCodes } from "../../lib/backup-codes/store";
import { EmulatorControl } from "../../test/support/emulator-control";
import { E2E_CONTEXT_FILE, E2E_EMULATOR_URL } from "./settings";

export const emulator = new EmulatorControl(E2E_EMULATOR_URL);

let db: PrismaClient | undefined;

/** The end-to-end server's database (its URL is written by e2e/support/serve.ts). */
export function e2eDatabase(): PrismaClient {
  if (!db) {
    const { databaseUrl } = JSON.parse(readFileSync(E2E_CONTEXT_FILE, "utf8")) as { databaseUrl: string };
    db = createPrismaClient(databaseUrl);
    (globalThis as typeof globalThis & { __prisma?: PrismaClient }).__prisma = db;
  }
  return db;
}

export interface EnrolledAccount {
  device: string;
  backupCodes: string[];
}

/**
 * Gives an existing account a Duo user with one smartphone and turns 2FA on, as a finished enrollment
 * would. `devices` overrides the phone's shape (capabilities, hardware token).
 */
export async function giveTwoFactor(email: string, devices?: Array<Record<string, unknown>>): Promise<EnrolledAccount> {
  const { user_id, device } = await emulator.createUser(email, devices);
  const database = e2eDatabase();
  const user = await database.user.update({ where: { email }, data: { twoFactorEnabled: true, twoFactorSince: new Date(), duoUserId: user_id, duoUsername: email } });
  const backupCodes = await issueBackupCodes(user.id);
  return { device, backupCodes };
}
