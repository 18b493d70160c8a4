/**
 * Turning two-factor authentication on and off from the security page, backup codes, and step-up, in
 * Chromium against the production build and the Duo emulator.
 */
import type { Page } from "@playwright/test";
import { newEmail, newPassword, signIn, signOut, signUp } from "./support/accounts";
import { activationCodeOnPage, completeEnrollment } from "./support/enrollment";
import { expect, test, type DuoFixture } from "./support/test";

async function newAccount(page: Page): Promise<{ email: string; password: string }> {
  const email = newEmail("enroll");
  const password = newPassword();
  await signUp(page, email, password);
  return { email, password };
}

async function approveStepUpPush(page: Page, duo: DuoFixture, duoUser: string): Promise<void> {
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
  await dialog.getByRole("button", { name: "Send Duo Push" }).click();
  const push = await duo.control.waitingTransaction(duoUser);
  await duo.control.answer(push.txid, "approve");
  await expect(dialog).toBeHidden();
}

test("full enrollment: QR code, first push, backup codes saved, then 2FA is required at sign-in", async ({ page, duo }) => {
  const account = await newAccount(page);
  await page.goto("/account/security");
  await expect(page.getByTestId("security-2fa-status")).toHaveText("Off");
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();

  const enrolled = await test.step("scan, confirm, save the codes", async () => {
    await expect(page.getByTestId("virtual-phone-link")).toHaveAttribute("href", /\/phone\?activation=duo/);
    return completeEnrollment(page, duo);
  });
  await expect(page.getByTestId("security-2fa-status")).toHaveText("On");
  expect(enrolled.backupCodes).toHaveLength(10);
  for (const code of enrolled.backupCodes) expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);

  await test.step("the codes are never shown again", async () => {
    await page.reload();
    await expect(page.getByTestId("backup-codes-remaining")).toHaveText("10 of 10 left");
    await expect(page.getByTestId("backup-codes")).toHaveCount(0);
    const html = await (await page.request.get("/account/security")).text();
    for (const code of enrolled.backupCodes) expect(html).not.toContain(code);
  });

  await test.step("the next sign-in asks for the second factor", async () => {
    await signOut(page);
    await page.goto("/account");
    await signIn(page, account.email, account.password);
    await expect(page).toHaveURL(/\/mfa/);
    await page.getByRole("button", { name: "Use a backup code" }).click();
    await page.getByLabel("Backup code").fill(enrolled.backupCodes[0] ?? "");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/account$/);
  });
});

test("an expired QR code says so and offers a new one", async ({ page, duo, db }) => {
  const account = await newAccount(page);
  await page.goto("/account/security");
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  const firstCode = await activationCodeOnPage(page);
  const user = await db.user.findUniqueOrThrow({ where: { email: account.email } });
  // Ten minutes pass.
  await db.duoEnrollment.updateMany({ where: { userId: user.id, status: "waiting" }, data: { expiresAt: new Date(Date.now() - 1000) } });
  await expect(page.getByRole("heading", { name: "This code expired" })).toBeVisible();
  await page.getByRole("button", { name: "Get a new code" }).click();
  const secondCode = await activationCodeOnPage(page);
  expect(secondCode).not.toBe(firstCode);
  await completeEnrollment(page, duo);
  await expect(page.getByTestId("security-2fa-status")).toHaveText("On");
});

test("a scan is confirmed once, even when the page polls again while the confirmation opens", async ({ page, duo }) => {
  await newAccount(page);
  await page.goto("/account/security");
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  const confirmations: string[] = [];
  // A slow server: the page's next polls (every second) land while the first confirmation opens.
  await page.route("**/api/mfa/enrollment/confirm", async (route) => {
    confirmations.push(route.request().url());
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await route.continue();
  });
  await completeEnrollment(page, duo);
  await expect(page.getByTestId("security-2fa-status")).toHaveText("On");
  expect(confirmations).toHaveLength(1);
});

/**
 * Enroll, then sign in again remembering the browser, then once more: that last session skipped the second
 * factor (remembered browser), so it has no recent one, and sensitive changes must ask for it.
 */
async function rememberedSession(page: Page, duo: DuoFixture) {
  const account = await newAccount(page);
  await page.goto("/account/security");
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  const enrolled = await completeEnrollment(page, duo);
  await expect(page.getByTestId("security-2fa-status")).toHaveText("On");

  await signOut(page);
  await page.goto("/account/security");
  await signIn(page, account.email, account.password);
  await page.getByLabel(/Don't ask again on this browser/).check();
  await page.getByRole("button", { name: "Send Duo Push" }).click();
  const push = await duo.control.waitingTransaction(enrolled.duoUserId);
  await duo.control.answer(push.txid, "approve");
  await expect(page).toHaveURL(/\/account\/security$/);

  await signOut(page);
  await page.goto("/account/security");
  await signIn(page, account.email, account.password);
  await expect(page).toHaveURL(/\/account\/security$/);
  return { ...account, ...enrolled };
}

test("new backup codes need a recent second factor, and replace the old ones", async ({ page, duo }) => {
  const account = await rememberedSession(page, duo);
  await page.getByRole("button", { name: "Create new backup codes" }).click();
  await approveStepUpPush(page, duo, account.duoUserId);

  await expect(page.getByTestId("backup-codes-sheet")).toBeVisible();
  const fresh = await page.getByTestId("backup-codes").getByRole("listitem").allTextContents();
  expect(fresh).toHaveLength(10);
  expect(fresh.filter((code) => account.backupCodes.includes(code))).toEqual([]);
  await page.getByLabel("I saved these codes somewhere safe").check();
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("backup-codes-remaining")).toHaveText("10 of 10 left");

  const refused = await page.request.post("/api/account/backup-codes", { headers: { origin: new URL(page.url()).origin }, data: {} });
  expect(refused.status(), "the step-up is recent now, so the API answers directly").toBe(200);
});

test("turning 2FA off asks for a second factor first, then forgets codes and browsers", async ({ page, duo, db }) => {
  const account = await rememberedSession(page, duo);
  await expect(page.getByTestId("remembered-browsers").getByRole("listitem")).toHaveCount(1);

  const direct = await page.request.post("/api/account/two-factor/disable", { headers: { origin: new URL(page.url()).origin }, data: {} });
  expect(direct.status()).toBe(403);
  expect((await direct.json()).error.code).toBe("STEP_UP_REQUIRED");

  await page.getByRole("button", { name: "Turn off two-factor authentication" }).click();
  await approveStepUpPush(page, duo, account.duoUserId);
  await expect(page.getByTestId("security-2fa-status")).toHaveText("Off");

  const user = await db.user.findUniqueOrThrow({ where: { email: account.email } });
  expect(user.twoFactorEnabled).toBe(false);
  expect(await db.backupCode.count({ where: { userId: user.id } })).toBe(0);
  expect(await db.trustedBrowser.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
});

test("a step-up can be cancelled, and then nothing changes", async ({ page, duo }) => {
  const account = await rememberedSession(page, duo);
  await page.getByRole("button", { name: "Turn off two-factor authentication" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("main").getByRole("alert").first()).toContainText("Confirm it's you with your second factor first.");
  await page.reload();
  await expect(page.getByTestId("security-2fa-status")).toHaveText("On");
  expect(account.email).toContain("@");
});
