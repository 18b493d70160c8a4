/**
 * Duo failing while a user signs in (DUO_FAILMODE=closed): the emulator stopped in the middle of a push,
 * answering too slowly, answering 500 / a 50001 FAIL / 429. Each time the /mfa page says Duo can't be
 * reached and what to do, within the app's interactive deadline; no session is granted; and once Duo is
 * back the same user sends a new push and signs in. This spec owns its emulator (to stop it) and its app.
 */
import type { Page } from "@playwright/test";
import { INTERACTIVE_DUO_DEADLINE_MS } from "../lib/mfa/duo-access";
import type { PrismaClient } from "../lib/db/client";
import type { AppServer } from "../scripts/support/app-server";
import { databaseClient, expectNoSession, ownAccountWithTwoFactor, RestartableEmulator, signInToMfa, startOwnApp, type OwnAccount } from "./support/own-servers";
import { SPEC_PORT_BASE } from "./support/settings";
import { expect, randomClientIp, test } from "./support/test";

const APP_PORT = SPEC_PORT_BASE;
const EMULATOR_PORT = SPEC_PORT_BASE + 1;
/** What the browser may add to the server's deadline: the round trip and a render on a busy machine. */
const RENDER_MARGIN_MS = 4_000;
const OUTAGE_TEXT = /Duo can't be reached right now|Duo stopped answering/;

test.describe.configure({ mode: "serial" });

let emulator: RestartableEmulator;
let app: AppServer;
let db: PrismaClient;

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(90_000);
  emulator = new RestartableEmulator(EMULATOR_PORT);
  await emulator.start();
  app = await startOwnApp("faults-duo", { port: APP_PORT, env: { ...emulator.keys, DUO_FAILMODE: "closed" } });
  db = databaseClient(app.databaseUrl);
});

test.afterAll(async () => {
  await db?.$disconnect();
  await app?.stop();
  await emulator?.dispose();
});

test.afterEach(async () => {
  // A failed test must not leave Duo broken (or stopped) for the next one.
  await emulator.start().catch(() => undefined);
  await emulator.control.clearFaults();
});

async function newAccount(): Promise<OwnAccount> {
  return ownAccountWithTwoFactor(app.url, db, emulator.control, randomClientIp());
}

async function pushAndApprove(page: Page, account: OwnAccount, except: string[] = []): Promise<void> {
  await page.getByRole("button", { name: "Send Duo Push" }).click();
  const transaction = await emulator.control.waitingTransaction(account.email, { except });
  await emulator.control.answer(transaction.txid, "approve");
  await expect(page).toHaveURL(/\/account$/);
}

test("Duo stopping in the middle of a push: the page says so, nobody is signed in, and a new push works once Duo is back", async ({ page }) => {
  const account = await newAccount();
  await signInToMfa(page, app.url, account);

  await page.getByRole("button", { name: "Send Duo Push" }).click();
  await expect(page.getByTestId("mfa-waiting")).toContainText("Approve it in Duo Mobile");
  const first = await emulator.control.waitingTransaction(account.email);

  await emulator.stop();
  // The long-poll in flight loses its connection: the step offers the backup code, and says why.
  await expect(page.getByLabel("Backup code")).toHaveAccessibleDescription(/Duo stopped answering\. Use a backup code, or try again in a few minutes\./, {
    timeout: INTERACTIVE_DUO_DEADLINE_MS,
  });
  await expectNoSession(page, app.url);
  await expect(page.getByLabel("Backup code")).toHaveAccessibleDescription(/Duo can't be reached right now/);

  // Same port, same persisted state: the user and the unanswered push are still there.
  await emulator.start();
  expect((await emulator.control.transactions(account.email)).map((t) => t.txid)).toContain(first.txid);
  await page.reload();
  await pushAndApprove(page, account, [first.txid]);
});

test("Duo slower than the client's timeout: a clear message within the interactive deadline, no session", async ({ page }) => {
  const account = await newAccount();
  await signInToMfa(page, app.url, account);
  await expect(page.getByRole("button", { name: "Send Duo Push" })).toBeVisible();

  await emulator.control.setFault({ mode: "slow", delayMs: 60_000 });
  const started = Date.now();
  await page.getByRole("button", { name: "Send Duo Push" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText(OUTAGE_TEXT, { timeout: INTERACTIVE_DUO_DEADLINE_MS + RENDER_MARGIN_MS });
  expect(Date.now() - started).toBeLessThan(INTERACTIVE_DUO_DEADLINE_MS + RENDER_MARGIN_MS);
  // Abandoned before Duo answered: no push reached the phone.
  expect((await emulator.control.transactions(account.email)).filter((t) => t.result === "waiting")).toEqual([]);

  // Opening the step while Duo is slow is bounded too (the health check's own deadline).
  const reopened = Date.now();
  await expectNoSession(page, app.url);
  await expect(page.getByLabel("Backup code")).toHaveAccessibleDescription(/Duo can't be reached right now/);
  expect(Date.now() - reopened).toBeLessThan(INTERACTIVE_DUO_DEADLINE_MS + RENDER_MARGIN_MS);

  await emulator.control.clearFaults();
  await page.reload();
  await pushAndApprove(page, account);
});

test("Duo answering 500, a 50001 FAIL and 429: clear messages (after backing off on 429), no session, then it works", async ({ page }) => {
  const account = await newAccount();

  await test.step("HTTP 500 while the step opens", async () => {
    await emulator.control.setFault({ mode: "http500" });
    await signInToMfa(page, app.url, account);
    await expect(page.getByLabel("Backup code")).toHaveAccessibleDescription(/Duo can't be reached right now/);
    await expectNoSession(page, app.url);
    await emulator.control.clearFaults();
    await page.reload();
  });

  const alert = page.getByRole("main").getByRole("alert");
  /** Sends a push and waits for the app's answer, so the alert read next is this push's. */
  const sendPush = async () => {
    const answered = page.waitForResponse((response) => response.url().endsWith("/api/mfa/send"), { timeout: INTERACTIVE_DUO_DEADLINE_MS + RENDER_MARGIN_MS });
    await page.getByRole("button", { name: "Send Duo Push" }).click();
    const response = await answered;
    expect(response.status()).toBe(503);
    expect((await response.json()).error.code).toBe("DUO_UNAVAILABLE");
  };

  await test.step("Duo's 50001 FAIL envelope on the push", async () => {
    await emulator.control.setFault({ mode: "fail50001" });
    await sendPush();
    await expect(alert).toContainText(OUTAGE_TEXT);
    expect((await emulator.control.faults()).applied).toBe(1);
  });

  await test.step("429 on every try: the client backs off, then the page gives up within the deadline", async () => {
    await emulator.control.setFault({ mode: "http429", retryAfter: 1 });
    const started = Date.now();
    await sendPush();
    const elapsed = Date.now() - started;
    await expect(alert).toContainText(OUTAGE_TEXT);
    const { applied } = await emulator.control.faults();
    // Retried after waiting as told (Retry-After: 1 s), not hammered and not abandoned at the first 429.
    expect(applied).toBeGreaterThanOrEqual(3);
    expect(applied).toBeLessThanOrEqual(Math.ceil(INTERACTIVE_DUO_DEADLINE_MS / 1000) + 1);
    expect(elapsed).toBeGreaterThanOrEqual((applied - 1) * 1000);
    await expectNoSession(page, app.url);
  });

  await test.step("faults cleared: the last push of this attempt signs in", async () => {
    await emulator.control.clearFaults();
    await page.reload();
    await pushAndApprove(page, account);
  });
});
