/**
 * What the benchmarks run against: the production build (`next start`) on a fresh database, with the
 * Duo emulator in this process as its Duo, and accounts with 2FA seeded straight into the database and
 * the emulator (seeding is not measured). Every virtual user comes from an address of its own
 * (X-Forwarded-For with TRUST_PROXY=true), so the per-address limits stay on as in production.
 */
import path from "node:path";
import { hashPassword } from "../../lib/auth/password";
import { startEmulator, type RunningEmulator } from "../../lib/emulator/server";
import { startAppServer, type AppServer } from "../../scripts/support/app-server";
import { EmulatorControl } from "../../test/support/emulator-control";
import type { PrismaClient } from "../../lib/db/client";

const root = path.resolve(import.meta.dirname, "../..");
/** Accounts are created this many at a time. */
const SEED_BATCH = 25;
export const BENCH_PASSWORD = "bench lantern meadow orchard";

export interface SeededAccount {
  email: string;
  duoUserId: string;
  device: string;
}

export interface BenchAccount extends SeededAccount {
  /** The X-Forwarded-For address this account's requests come from. */
  clientIp: string;
}

/** Accounts with 2FA on, each a Duo user of the emulator with one Duo Mobile device, made straight in the database. */
export async function seedTwoFactorAccounts(control: EmulatorControl, db: PrismaClient, passwordHash: string, emails: string[]): Promise<SeededAccount[]> {
  const accounts: SeededAccount[] = [];
  for (let start = 0; start < emails.length; start += SEED_BATCH) {
    const batch = await Promise.all(
      emails.slice(start, start + SEED_BATCH).map(async (email) => {
        const duoUser = await control.createUser(email);
        await db.user.create({
          data: { email, passwordHash, twoFactorEnabled: true, twoFactorSince: new Date(), duoUserId: duoUser.user_id, duoUsername: email },
        });
        return { email, duoUserId: duoUser.user_id, device: duoUser.device };
      }),
    );
    accounts.push(...batch);
  }
  return accounts;
}

export interface BenchApp {
  server: AppServer;
  emulator: RunningEmulator;
  control: EmulatorControl;
  db: PrismaClient;
  /** Accounts with 2FA on and one Duo Mobile device each. */
  seedAccounts(count: number, tag: string): Promise<BenchAccount[]>;
  stop(): Promise<void>;
}

let nextAddress = 1;

/** A fresh address in 10.0.0.0/8 for each virtual user. */
export function newClientIp(): string {
  const n = nextAddress++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export async function startBenchApp(portBase: number): Promise<BenchApp> {
  const emulator = await startEmulator({ port: portBase + 1, dataDir: null });
  const server = await startAppServer({
    port: portBase,
    databasePrefix: "duo2fa_bench",
    logFile: path.join(root, "test-results/bench-server.log"),
    env: { TRUST_PROXY: "true", DUO_IKEY: emulator.ikey, DUO_SKEY: emulator.skey, DUO_HOST: emulator.url, DUO_FAILMODE: "closed" },
  });
  let db: PrismaClient;
  try {
    const { createPrismaClient } = await import("../../lib/db/client");
    db = createPrismaClient(server.databaseUrl);
  } catch (error) {
    await server.stop();
    await emulator.close();
    throw error;
  }
  const control = new EmulatorControl(emulator.url);
  const passwordHash = await hashPassword(BENCH_PASSWORD);

  async function seedAccounts(count: number, tag: string): Promise<BenchAccount[]> {
    const emails = Array.from({ length: count }, (_, i) => `bench-${tag}-${i}@example.com`);
    return (await seedTwoFactorAccounts(control, db, passwordHash, emails)).map((account) => ({ ...account, clientIp: newClientIp() }));
  }

  return {
    server,
    emulator,
    control,
    db,
    seedAccounts,
    async stop() {
      await db.$disconnect();
      await server.stop();
      await emulator.close();
    },
  };
}
