/**
 * Playwright's `test` for this suite:
 * - each test comes from its own client address (the servers trust X-Forwarded-For, as behind a proxy),
 *   so per-address rate limits apply per test, as for real users;
 * - `duo` is the profile's Duo emulator (the user's phone) and a shortcut to give an account 2FA;
 * - `db` is the profile's database, for setting up what the UI would take long to reach.
 */
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { test as base } from "@playwright/test";
import { issueBackupCodes } from "../../lib/backup-codes/store";
import { createPrismaClient, type PrismaClient } from "../../lib/db/client";
import { EmulatorControl } from "../../test/support/emulator-control";
import { contextFile, emulatorUrl, type ProfileName } from "./settings";

export { expect } from "@playwright/test";

export function randomClientIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export interface EnrolledAccount {
  device: string;
  backupCodes: string[];
}

export interface DuoFixture {
  control: EmulatorControl;
  /** Gives an existing account a Duo user with one smartphone and turns 2FA on, as a finished enrollment would. */
  giveTwoFactor(email: string, devices?: Array<Record<string, unknown>>): Promise<EnrolledAccount>;
}

const databases = new Map<ProfileName, PrismaClient>();

function databaseOf(profile: ProfileName): PrismaClient {
  let db = databases.get(profile);
  if (!db) {
    const { databaseUrl } = JSON.parse(readFileSync(contextFile(profile), "utf8")) as { databaseUrl: string };
    db = createPrismaClient(databaseUrl);
    databases.set(profile, db);
  }
  // lib/ helpers (issueBackupCodes) use the process's client.
  (globalThis as typeof globalThis & { __prisma?: PrismaClient }).__prisma = db;
  return db;
}

export const test = base.extend<{ clientIp: string; db: PrismaClient; duo: DuoFixture }, { profile: ProfileName }>({
  profile: ["main", { option: true, scope: "worker" }],
  clientIp: async ({}, use) => {
    await use(randomClientIp());
  },
  extraHTTPHeaders: async ({ clientIp, extraHTTPHeaders }, use) => {
    await use({ ...extraHTTPHeaders, "x-forwarded-for": clientIp });
  },
  db: async ({ profile }, use) => {
    await use(databaseOf(profile));
  },
  duo: async ({ profile, db }, use) => {
    const url = emulatorUrl(profile);
    const control = new EmulatorControl(url ?? "http://127.0.0.1:9");
    await use({
      control,
      async giveTwoFactor(email, devices) {
        const duoUser = url ? await control.createUser(email, devices) : { user_id: null, device: "" };
        const user = await db.user.update({
          where: { email },
          data: { twoFactorEnabled: true, twoFactorSince: new Date(), duoUserId: duoUser.user_id, duoUsername: email },
        });
        return { device: duoUser.device, backupCodes: await issueBackupCodes(user.id) };
      },
    });
  },
});
