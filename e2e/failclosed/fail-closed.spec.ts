/** DUO_FAILMODE=closed (the default) with Duo unreachable: no Duo sign-in, but backup codes still work. */
import { accountWithTwoFactor, signIn } from "../support/accounts";
import { expect, test } from "../support/test";

test("with Duo down, the step says so, and a backup code still signs in", async ({ page, duo }) => {
  const { email, password, backupCodes } = await accountWithTwoFactor(page, duo, "failclosed");

  await page.goto("/account");
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/mfa/);
  const field = page.getByLabel("Backup code");
  await expect(field).toHaveAccessibleDescription(/Duo can't be reached right now/);
  await expect(page.getByRole("button", { name: "Send Duo Push" })).toHaveCount(0);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/mfa/);

  await page.getByLabel("Backup code").fill(backupCodes[0] ?? "");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/account$/);
});

test("with Duo down and no backup codes left, the step explains and signs nobody in", async ({ page, duo, db }) => {
  const { email, password } = await accountWithTwoFactor(page, duo, "failclosed");
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  await db.backupCode.deleteMany({ where: { userId: user.id } });

  await page.goto("/account");
  await signIn(page, email, password);
  await expect(page.getByRole("heading", { name: "Duo is unavailable" })).toBeVisible();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/mfa/);
});
