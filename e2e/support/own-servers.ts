/**
 * For specs that start and stop their own servers (the fault specs): an emulator that can be stopped and
 * started again on the same port and state, the production app on its own port, and accounts with 2FA
 * set up over HTTP and in the database, without going through the UI.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { issueBackupCodes } from "../../lib/backup-codes/store";
import { createPrismaClient, type PrismaClient } from "../../lib/db/client";
import { startEmulator, type RunningEmulator } from "../../lib/emulator/server";
import { startAppServer, type AppServer, type AppServerOptions } from "../../scripts/support/app-server";
import { EmulatorControl } from "../../test/support/emulator-control";
import { newEmail, newPassword, signIn } from "./accounts";

const root = path.resolve(import.meta.dirname, "../..");

/** An emulator whose state lives in a folder of its own, so that it survives a stop and a start. */
export class RestartableEmulator {
  private running: RunningEmulator | null = null;
  readonly dataDir = mkdtempSync(path.join(tmpdir(), "duo2fa-e2e-emulator-"));
  readonly control: EmulatorControl;

  constructor(readonly port: number) {
    this.control = new EmulatorControl(`http://127.0.0.1:${port}`);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts it (again): same port, same data folder, hence the same keys, users and transactions. */
  async start(): Promise<RunningEmulator> {
    this.running = await startEmulator({ port: this.port, dataDir: this.dataDir, persistDebounceMs: 10 });
    return this.running;
  }

  /** Stops listening and drops open connections, as a crashed service does; the state is kept on disk. */
  async stop(): Promise<void> {
    await this.running?.close();
    this.running = null;
  }

  get keys(): { DUO_IKEY: string; DUO_SKEY: string; DUO_HOST: string } {
    if (!this.running) throw new Error("the emulator is not running");
    return { DUO_IKEY: this.running.ikey, DUO_SKEY: this.running.skey, DUO_HOST: this.running.url };
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The production app for one spec, with its output in test-results/e2e-<name>.log. */
export function startOwnApp(name: string, options: Omit<AppServerOptions, "logFile">): Promise<AppServer> {
  return startAppServer({
    databasePrefix: `duo2fa_e2e_${name.replace(/[^a-z0-9]/gi, "_")}`,
    logFile: path.join(root, `test-results/e2e-${name}.log`),
    ...options,
    // Tests pose as clients behind a proxy, each with its own address.
    env: { TRUST_PROXY: "true", ...options.env },
  });
}

export interface OwnAccount {
  email: string;
  password: string;
  device: string;
  backupCodes: string[];
}

/** A signed-out account with 2FA on (a Duo user with one phone, and backup codes), made over HTTP. */
export async function ownAccountWithTwoFactor(appUrl: string, db: PrismaClient, control: EmulatorControl, clientIp: string): Promise<OwnAccount> {
  const email = newEmail("fault");
  const password = newPassword();
  const response = await fetch(`${appUrl}/api/sign-up`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: appUrl, "x-forwarded-for": clientIp },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status, await response.text()).toBe(201);
  const duoUser = await control.createUser(email);
  const user = await db.user.update({
    where: { email },
    data: { twoFactorEnabled: true, twoFactorSince: new Date(), duoUserId: duoUser.user_id, duoUsername: email },
  });
  // lib/ helpers use the process's client.
  (globalThis as typeof globalThis & { __prisma?: PrismaClient }).__prisma = db;
  return { email, password, device: duoUser.device, backupCodes: await issueBackupCodes(user.id) };
}

export function databaseClient(url: string): PrismaClient {
  return createPrismaClient(url);
}

/** Signs in with the password from a protected page and waits for the second-factor step. */
export async function signInToMfa(page: Page, appUrl: string, account: OwnAccount): Promise<void> {
  await page.goto(`${appUrl}/account`);
  await signIn(page, account.email, account.password);
  await expect(page).toHaveURL(/\/mfa\?callbackUrl=/);
}

/** A protected page still refuses this browser: it is sent back to the second-factor step. */
export async function expectNoSession(page: Page, appUrl: string): Promise<void> {
  await page.goto(`${appUrl}/account`);
  await expect(page).toHaveURL(/\/mfa\?callbackUrl=/);
  const api = await page.request.get(`${appUrl}/api/account/backup-codes`);
  expect(api.status()).toBe(401);
  expect((await api.json()).error.code).toBe("MFA_REQUIRED");
}

export function randomSecret(): string {
  return randomBytes(32).toString("base64");
}
