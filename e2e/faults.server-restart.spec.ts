/**
 * The server restarted while a challenge is pending: the challenge lives in the database and the session
 * in a cookie signed with AUTH_SECRET, so a new server process on the same database and secret picks up
 * where the old one stopped — the same browser sends its push and signs in.
 */
import type { PrismaClient } from "../lib/db/client";
import type { AppServer } from "../scripts/support/app-server";
import { createEmptyDatabase, type TestDatabase } from "../test/support/database";
import { databaseClient, ownAccountWithTwoFactor, randomSecret, RestartableEmulator, signInToMfa, startOwnApp } from "./support/own-servers";
import { SPEC_PORT_BASE } from "./support/settings";
import { expect, randomClientIp, test } from "./support/test";

const APP_PORT = SPEC_PORT_BASE + 5;
const EMULATOR_PORT = SPEC_PORT_BASE + 6;

let emulator: RestartableEmulator;
let database: TestDatabase;
let app: AppServer | null = null;
let db: PrismaClient;

test.beforeAll(async () => {
  emulator = new RestartableEmulator(EMULATOR_PORT);
  await emulator.start();
  database = await createEmptyDatabase(process.env.DATABASE_URL, "duo2fa_e2e_faults_restart");
  db = databaseClient(database.url);
});

test.afterAll(async () => {
  await db?.$disconnect();
  await app?.stop();
  await database?.drop();
  await emulator?.dispose();
});

test("a challenge pending across a server restart completes with the same cookie", async ({ page }) => {
  test.setTimeout(90_000);
  const settings = { port: APP_PORT, databaseUrl: database.url, env: { ...emulator.keys, AUTH_SECRET: randomSecret() } };
  app = await startOwnApp("faults-restart", settings);
  const account = await ownAccountWithTwoFactor(app.url, db, emulator.control, randomClientIp());
  await signInToMfa(page, app.url, account);
  await expect(page.getByRole("button", { name: "Send Duo Push" })).toBeVisible();
  const cookiesBefore = await page.context().cookies(app.url);
  const pending = await db.mfaChallenge.findMany({ where: { user: { email: account.email } } });
  expect(pending).toHaveLength(1);

  const before = app.process.pid;
  await app.stop();
  // The new server applies migrations first, which needs the SQLite file to itself (in WAL mode every open
  // connection holds it): the test lets go of its own connection, as an operator stops other clients.
  await db.$disconnect();
  app = await startOwnApp("faults-restart", settings);
  expect(app.process.pid).not.toBe(before);

  // The browser keeps what it had: the page as loaded, and the same cookies.
  expect(await page.context().cookies(app.url)).toEqual(cookiesBefore);
  await page.getByRole("button", { name: "Send Duo Push" }).click();
  await expect(page.getByTestId("mfa-waiting")).toContainText("Approve it in Duo Mobile");
  const transaction = await emulator.control.waitingTransaction(account.email);
  await emulator.control.answer(transaction.txid, "approve");
  await expect(page).toHaveURL(/\/account$/);

  // The challenge from before the restart is the one that passed, and was used up by this session.
  const after = await db.mfaChallenge.findUniqueOrThrow({ where: { id: pending[0]?.id ?? "" } });
  expect(after.verifiedAt).not.toBeNull();
  expect(after.consumedAt).not.toBeNull();
  expect(await db.mfaChallenge.count({ where: { user: { email: account.email } } })).toBe(1);
});
