/**
 * The database unreachable at sign-in: the form says a service is unavailable (SERVICE_UNAVAILABLE, never
 * "wrong password", never a 500), and nothing is half-created — no session, no pending challenge, no
 * AuthEvent claiming a sign-in. Once the database is back, the same password signs in.
 *
 * How the database is cut, for real: on PostgreSQL the app reaches it through a TCP proxy this spec owns
 * and closes (connections reset, new ones refused); on SQLite, whose file the app opens itself, another
 * process holds the write lock past the app's busy timeout.
 */
import Database from "better-sqlite3";
import type { PrismaClient } from "../lib/db/client";
import { databaseProvider, sqliteFilePath } from "../lib/db/url";
import { ERRORS } from "../lib/errors";
import type { AppServer } from "../scripts/support/app-server";
import { createEmptyDatabase, type TestDatabase } from "../test/support/database";
import { startTcpProxy, throughProxy, type TcpProxy } from "../test/support/tcp-proxy";
import { signIn } from "./support/accounts";
import { databaseClient, ownAccountWithTwoFactor, RestartableEmulator, startOwnApp, type OwnAccount } from "./support/own-servers";
import { SPEC_PORT_BASE } from "./support/settings";
import { expect, randomClientIp, test } from "./support/test";

const APP_PORT = SPEC_PORT_BASE + 2;
const EMULATOR_PORT = SPEC_PORT_BASE + 3;
const PROXY_PORT = SPEC_PORT_BASE + 4;
/** The app's SQLite busy timeout (lib/db/client.ts) plus the round trip: how long a locked sign-in may take. */
const SQLITE_ANSWER_WITHIN_MS = 15_000;

const provider = process.env.DATABASE_URL ? databaseProvider(process.env.DATABASE_URL) : "sqlite";

test.describe.configure({ mode: "serial" });

let emulator: RestartableEmulator;
let database: TestDatabase;
let proxy: TcpProxy | null = null;
let app: AppServer;
let db: PrismaClient;

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(90_000);
  emulator = new RestartableEmulator(EMULATOR_PORT);
  await emulator.start();
  database = await createEmptyDatabase(process.env.DATABASE_URL, "duo2fa_e2e_faults_db");
  let appDatabaseUrl = database.url;
  if (provider === "postgres") {
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) }, { port: PROXY_PORT });
    appDatabaseUrl = throughProxy(database.url, proxy);
  }
  // Migrated directly: the migration runs synchronously, and the proxy lives in this process.
  app = await startOwnApp("faults-db", { port: APP_PORT, databaseUrl: appDatabaseUrl, migrationUrl: database.url, env: emulator.keys });
  // The test's own view of the database never goes through the proxy.
  db = databaseClient(database.url);
});

test.afterAll(async () => {
  await db?.$disconnect();
  await app?.stop();
  await proxy?.close();
  await database?.drop();
  await emulator?.dispose();
});

/** Makes the database unusable for the app; returns how to give it back. */
async function cutDatabase(): Promise<() => Promise<void>> {
  if (proxy) {
    const cut = proxy;
    await cut.cut();
    return () => cut.restore();
  }
  const holder = new Database(sqliteFilePath(database.url));
  holder.exec("BEGIN EXCLUSIVE");
  return async () => {
    holder.exec("ROLLBACK");
    holder.close();
  };
}

async function footprint(account: OwnAccount) {
  const user = await db.user.findUniqueOrThrow({ where: { email: account.email } });
  return {
    challenges: await db.mfaChallenge.count({ where: { userId: user.id } }),
    signIns: await db.authEvent.count({ where: { userId: user.id, type: "sign-in" } }),
    events: await db.authEvent.count(),
  };
}

test("sign-in with the database unreachable: 'service unavailable', no partial state; works again once it is back", async ({ page, clientIp }) => {
  test.setTimeout(60_000);
  const account = await ownAccountWithTwoFactor(app.url, db, emulator.control, randomClientIp());
  const before = await footprint(account);
  await page.goto(`${app.url}/account`);
  await expect(page).toHaveURL(/\/sign-in/);

  const restore = await cutDatabase();
  try {
    await test.step("the form says a service is unavailable, not that the password is wrong", async () => {
      await signIn(page, account.email, account.password);
      const alert = page.getByRole("main").getByRole("alert");
      await expect(alert).toHaveText(ERRORS.SERVICE_UNAVAILABLE.message, { timeout: SQLITE_ANSWER_WITHIN_MS });
      await expect(alert).not.toContainText(ERRORS.INVALID_CREDENTIALS.message);
      await expect(page).toHaveURL(/\/sign-in/);
    });

    await test.step("over HTTP: a refusal with the code, no session cookie, no stack", async () => {
      const csrf = await page.request.get(`${app.url}/api/auth/csrf`);
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const response = await page.request.post(`${app.url}/api/auth/callback/credentials`, {
        headers: { "x-auth-return-redirect": "1", origin: app.url, "x-forwarded-for": clientIp },
        form: { email: account.email, password: account.password, csrfToken },
        timeout: SQLITE_ANSWER_WITHIN_MS,
      });
      expect(response.status()).toBeLessThan(500);
      const { url } = (await response.json()) as { url: string };
      expect(new URL(url).searchParams.get("code")).toBe("SERVICE_UNAVAILABLE");
      expect(response.headers()["set-cookie"] ?? "").not.toMatch(/session-token=[^;]/);
      expect(await (await page.request.get(`${app.url}/api/auth/session`)).json()).toBeNull();
    });
  } finally {
    await restore();
  }

  await test.step("nothing was half-created while it was down", async () => {
    expect(await footprint(account)).toEqual(before);
    await page.goto(`${app.url}/account`);
    await expect(page).toHaveURL(/\/sign-in/);
  });

  await test.step("the database back: the same password reaches the second factor", async () => {
    await signIn(page, account.email, account.password);
    await expect(page).toHaveURL(/\/mfa\?callbackUrl=/);
    const after = await footprint(account);
    expect(after.challenges).toBe(before.challenges + 1);
    expect(after.signIns).toBe(before.signIns + 1);
  });
});
