/** Changing the password signs out everywhere: this browser, every other one, and the old password is dead. */
import { newEmail, newPassword, signIn, signUp } from "./support/accounts";
import { expect, test } from "./support/test";

test("a password change ends every session; only the new password signs in", async ({ page, browser }) => {
  const email = newEmail("pwchange");
  const oldPassword = newPassword();
  const newOne = newPassword();
  await signUp(page, email, oldPassword);

  const other = await browser.newContext({ baseURL: new URL(page.url()).origin });
  const otherPage = await other.newPage();
  await otherPage.goto("/account");
  await signIn(otherPage, email, oldPassword);
  await expect(otherPage).toHaveURL(/\/account$/);

  await page.goto("/account/security");
  await page.getByLabel("Current password").fill("not my password at all");
  await page.getByLabel("New password").fill(newOne);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByLabel("Current password")).toHaveAccessibleDescription("That isn't your current password.");

  await page.getByLabel("Current password").fill(oldPassword);
  await page.getByLabel("New password").fill(newOne);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/sign-in\?reason=session-ended$/);
  await expect(page.getByText("Your session has ended: it was signed out, your password changed")).toBeVisible();

  await test.step("the other browser's session has ended too", async () => {
    await otherPage.goto("/account");
    await expect(otherPage).toHaveURL(/\/sign-in\?reason=session-ended$/);
    await other.close();
  });

  await test.step("the old password no longer works; the new one does", async () => {
    await signIn(page, email, oldPassword);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("That email and password don't match an account.");
    await page.getByLabel("Password").fill(newOne);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/$/);
  });
});
