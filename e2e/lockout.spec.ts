/**
 * Wrong codes: 5 end a challenge; 10 in a row lock the account's second factor for 15 minutes. And the
 * second-factor rate limit, once spent, is said as such.
 */
import type { Page } from "@playwright/test";
import { ERRORS } from "../lib/errors";
import { LIMITS } from "../lib/rate-limit/limits";
import { accountWithTwoFactor, signIn } from "./support/accounts";
import { expect, test } from "./support/test";

async function wrongPasscode(page: Page): Promise<void> {
  await page.getByLabel("Passcode").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
}

/** Four wrong passcodes, each answered with the tries left (4, 3, 2, 1), then a fifth. */
async function fiveWrongPasscodes(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Enter a passcode" }).click();
  for (let left = 4; left >= 1; left--) {
    await wrongPasscode(page);
    await expect(page.getByLabel("Passcode")).toHaveAccessibleDescription(new RegExp(`${left} ${left === 1 ? "try" : "tries"} left`));
  }
  await wrongPasscode(page);
}

test("five wrong passcodes end the challenge; ten in a row lock the account", async ({ page, duo }) => {
  const { email, password } = await accountWithTwoFactor(page, duo, "lockout");

  await test.step("five wrong passcodes end this attempt", async () => {
    await page.goto("/account");
    await signIn(page, email, password);
    await fiveWrongPasscodes(page);
    await expect(page.getByRole("heading", { name: "This attempt has ended" })).toBeVisible();
    await page.getByRole("button", { name: "Back to sign-in" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
  });

  await test.step("five more, on a new attempt, lock the account", async () => {
    await signIn(page, email, password);
    await fiveWrongPasscodes(page);
    await expect(page.getByRole("main").getByRole("alert")).toContainText("Sign-in is paused on this account");
  });

  await test.step("while locked, even the right password is stopped", async () => {
    await page.getByRole("button", { name: "Back to sign-in" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await signIn(page, email, password);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(
      "Sign-in is paused on this account after too many failed attempts. Try again in 15 minutes.",
    );
    await expect(page).toHaveURL(/\/sign-in$/);
  });
});

test("past the second-factor rate limit the step says so, instead of 'this attempt has ended'", async ({ page, duo }) => {
  const { email, password } = await accountWithTwoFactor(page, duo, "mfa-limit");
  await page.goto("/account");
  await signIn(page, email, password);
  await expect(page.getByRole("button", { name: "Send Duo Push" })).toBeVisible();
  // Opening the step is a second-factor action: spend the rest of the account's budget on it.
  for (let opened = 1; opened < LIMITS.mfaActionsPerAccount.points; opened++) expect((await page.request.get("/mfa")).status()).toBe(200);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Sign-in refused" })).toBeVisible();
  await expect(page.getByRole("main")).toContainText(ERRORS.RATE_LIMITED.message);
  await expect(page.getByRole("heading", { name: "This attempt has ended" })).toHaveCount(0);
});
