/** Every page works at 360 px wide: nothing overflows sideways. */
import type { Page } from "@playwright/test";
import { accountWithTwoFactor, newEmail, newPassword, signIn, signUp } from "./support/accounts";
import { expect, test } from "./support/test";

test.use({ viewport: { width: 360, height: 740 } });

async function expectNoSidewaysScroll(page: Page, name: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} overflows by ${overflow} px at 360 px`).toBeLessThanOrEqual(0);
}

test("sign-in, sign-up, account and security pages fit 360 px", async ({ page }) => {
  await page.goto("/sign-in");
  await expectNoSidewaysScroll(page, "sign-in");
  await signUp(page, newEmail("narrow"), newPassword());
  await expectNoSidewaysScroll(page, "account");
  await page.goto("/account/security");
  await expectNoSidewaysScroll(page, "security");
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(page.getByRole("img", { name: "QR code to scan with Duo Mobile" })).toBeVisible();
  await expectNoSidewaysScroll(page, "enrollment QR step");
});

test("the second-factor step fits 360 px, waiting included", async ({ page, duo }) => {
  const { email, password } = await accountWithTwoFactor(page, duo, "narrow-mfa");
  await page.goto("/account");
  await signIn(page, email, password);
  await expect(page.getByRole("heading", { name: "Verify it's you" })).toBeVisible();
  await expectNoSidewaysScroll(page, "mfa");
  await page.getByRole("button", { name: "Send Duo Push" }).click();
  await expect(page.getByTestId("mfa-waiting")).toBeVisible();
  await expectNoSidewaysScroll(page, "mfa waiting");
});
