/**
 * The /mfa step of sign-in, in Chromium against the production build and the Duo emulator (whose
 * control API plays the user's phone): every method, every Duo answer, and what each leaves behind.
 */
import type { Page } from "@playwright/test";
import { accountWithTwoFactor, signIn, type TwoFactorAccount as Account } from "./support/accounts";
import { expect, test, type DuoFixture } from "./support/test";

async function signInTo(page: Page, account: Account, path = "/account"): Promise<void> {
  await page.goto(path);
  await signIn(page, account.email, account.password);
  await expect(page).toHaveURL(/\/mfa\?callbackUrl=/);
  await expect(page.getByRole("heading", { name: "Verify it's you" })).toBeVisible();
}

async function pushAndAnswer(page: Page, duo: DuoFixture, account: Account, answer: "approve" | "deny" | "fraud" | "timeout"): Promise<void> {
  await page.getByRole("button", { name: "Send Duo Push" }).click();
  await expect(page.getByTestId("mfa-waiting")).toContainText("Approve it in Duo Mobile");
  const transaction = await duo.control.waitingTransaction(account.email);
  await duo.control.answer(transaction.txid, answer);
}

test("a protected page sends a pending session to /mfa, and its API routes answer 401", async ({ page, duo }) => {
  const account = await accountWithTwoFactor(page, duo);
  await signInTo(page, account);
  await page.goto("/");
  await expect(page).toHaveURL(/\/mfa\?callbackUrl=%2F$|\/mfa$/);
  const response = await page.request.get("/api/anything");
  expect(response.status()).toBe(401);
  expect((await response.json()).error.code).toBe("MFA_REQUIRED");
});

test("Duo Push approved on the phone signs in and returns to the page asked for", async ({ page, duo }) => {
  const account = await accountWithTwoFactor(page, duo);
  await signInTo(page, account);
  await test.step("the push carries the app, the browser and the address", async () => {
    await page.getByRole("button", { name: "Send Duo Push" }).click();
    const transaction = await duo.control.waitingTransaction(account.email);
    expect(transaction.pushinfo).toMatchObject({ App: "Duo 2FA Reference", Browser: "Chrome on Linux" });
    await duo.control.answer(transaction.txid, "approve");
  });
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText("Password and two-factor authentication")).toBeVisible();
});

test("a denied push does not sign in, and says so", async ({ page, duo }) => {
  const account = await accountWithTwoFactor(page, duo);
  await signInTo(page, account);
  await pushAndAnswer(page, duo, account, "deny");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("The push was denied");
  await page.goto("/account");
  await expect(page).toHaveURL(/\/mfa/);
});

test("an unanswered push times out, and another can be sent", async ({ page, duo }) => {
  const account = await accountWithTwoFactor(page, duo);
  await signInTo(page, account);
  await pushAndAnswer(page, duo, account, "timeout");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("The push timed out");
  await pushAndAnswer(page, duo, account, "approve");
  await expect(page).toHaveURL(/\/account$/);
});

test("a push reported as fraud ends the attempt", async ({ page, duo }) => {
  const account = await accountWithTwoFactor(page, duo);
  await signInTo(page, account);
  await pushAndAnswer(page, duo, account, "fraud");
  await expect(page.getByRole("heading", { name: "Sign-in stopped" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send Duo Push" })).toHaveCount(0);
  await page.getByRole("button", { name: "Back to sign-in" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Faccount$/);
});

test("a passcode from Duo Mobile signs in; a wrong one says how many tries are left", async ({ page, duo }) => {
  const account = await accountWithTwoFactor(page, duo);
  await signInTo(page, account);
  await page.getByRole("button", { name: "Enter a passcode" }).click();
  const field = page.getByLabel("Passcode");
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute("autocomplete", "one-time-code");
  await expect(field).toHaveAttribute("inputmode", "numeric");
  await field.fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  // The error is tied to the field, so screen readers read it with the field.
  await expect(page.getByLabel("Passcode")).toHaveAccessibleDescription(/That code didn't work\. Check it and try again\. 4 tries left\./);
  await page.getByLabel("Passcode").fill(await duo.control.passcode(account.device));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/account$/);
});

test("a phone call answered on the phone signs in", async ({ page, duo }) => {
  const account = await accountWithTwoFactor(page, duo);
  await signInTo(page, account);
  await page.getByRole("button", { name: "Call me" }).click();
  await expect(page.getByTestId("mfa-waiting")).toContainText("Calling");
  const call = await duo.control.waitingTransaction(account.email);
  expect(call.factor).toBe("phone");
  await duo.control.answer(call.txid, "approve");
  await expect(page).toHaveURL(/\/account$/);
});

test("SMS passcodes: sent on request, the hinted one signs in", async ({ page, duo }) => {
  const account = await accountWithTwoFactor(page, duo);
  await signInTo(page, account);
  await page.getByRole("button", { name: "Text me passcodes" }).click();
  await expect(page.getByLabel("Passcode")).toBeFocused();
  const codes = await duo.control.sms(account.email);
  await expect(page.getByLabel("Passcode")).toHaveAccessibleDescription(new RegExp(`Enter the one that starts with ${codes[0]?.[0]}`));
  await page.getByLabel("Passcode").fill(codes[0] ?? "");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/account$/);
});

test("a backup code signs in once, and not a second time", async ({ page, browser, duo }) => {
  const account = await accountWithTwoFactor(page, duo);
  const [code] = account.backupCodes;
  await signInTo(page, account);
  await page.getByRole("button", { name: "Use a backup code" }).click();
  await page.getByLabel("Backup code").fill(code ?? "");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/account$/);

  const second = await browser.newPage();
  await second.goto("/account");
  await signIn(second, account.email, account.password);
  await expect(second).toHaveURL(/\/mfa/);
  await second.getByRole("button", { name: "Use a backup code" }).click();
  await second.getByLabel("Backup code").fill(code ?? "");
  await second.getByRole("button", { name: "Verify" }).click();
  await expect(second.getByLabel("Backup code")).toHaveAccessibleDescription(/That code didn't work/);
  await second.close();
});

test("Cancel ends the attempt and returns to sign-in", async ({ page, duo }) => {
  const account = await accountWithTwoFactor(page, duo);
  await signInTo(page, account);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Faccount$/);
});
