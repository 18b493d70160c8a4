/**
 * axe-core on every page and on each state of the second-factor step and of enrollment: no serious or
 * critical WCAG 2.1 A/AA violations.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { accountWithTwoFactor, newEmail, newPassword, signIn, signUp } from "./support/accounts";
import { activationCodeOnPage, approvePush } from "./support/enrollment";
import { expect, test } from "./support/test";

async function expectAccessible(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    blocking.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    `${state} has serious or critical accessibility violations`,
  ).toEqual([]);
}

test("sign-in and sign-up pages", async ({ page }) => {
  await page.goto("/sign-in");
  await expectAccessible(page, "sign-in");
  await page.goto("/sign-up");
  await expectAccessible(page, "sign-up");
  await page.getByLabel("Email").fill(newEmail("a11y"));
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "sign-up with errors");
});

test("account and security pages, and each enrollment step", async ({ page, duo }) => {
  await signUp(page, newEmail("a11y"), newPassword());
  await expectAccessible(page, "account");
  await page.goto("/account/security");
  await expectAccessible(page, "security, 2FA off");

  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  const { user_id } = await duo.control.activate(await activationCodeOnPage(page).then(async (code) => {
    await expectAccessible(page, "enrollment: QR code");
    return code;
  }));
  await expect(page.getByText("Duo Mobile is set up.")).toBeVisible();
  await expectAccessible(page, "enrollment: confirm the device");
  await approvePush(page, duo, user_id);
  await expect(page.getByTestId("backup-codes-sheet")).toBeVisible();
  await expectAccessible(page, "enrollment: backup codes");
  await page.getByLabel("I saved these codes somewhere safe").check();
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(page.getByTestId("security-2fa-status")).toHaveText("On");
  await expectAccessible(page, "security, 2FA on");
});

test("/mfa in each state: methods, waiting for a push, a wrong code, a refusal", async ({ page, duo }) => {
  const { email, password } = await accountWithTwoFactor(page, duo, "a11y-mfa");
  await page.goto("/account");
  await signIn(page, email, password);
  await expect(page.getByRole("heading", { name: "Verify it's you" })).toBeVisible();
  await expectAccessible(page, "mfa: choose a method");

  await page.getByRole("button", { name: "Send Duo Push" }).click();
  await expect(page.getByTestId("mfa-waiting")).toBeVisible();
  await expectAccessible(page, "mfa: waiting for a push");
  const push = await duo.control.waitingTransaction(email);

  await page.getByRole("button", { name: "Use another method" }).click();
  await page.getByRole("button", { name: "Enter a passcode" }).click();
  await page.getByLabel("Passcode").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByLabel("Passcode")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "mfa: wrong passcode");

  await page.getByRole("button", { name: "Use another method" }).click();
  await page.getByRole("button", { name: "Send Duo Push" }).click();
  const second = await duo.control.waitingTransaction(email, { except: [push.txid] });
  await duo.control.answer(second.txid, "fraud");
  await expect(page.getByRole("heading", { name: "Sign-in stopped" })).toBeVisible();
  await expectAccessible(page, "mfa: fraud reported");
});
