/**
 * Signing out ends the session on the server, not just in this browser: a copy of the session cookie is
 * refused afterwards. The security page lists where the account is signed in and signs other sessions out.
 */
import { newEmail, newPassword, signIn, signOut, signUp } from "./support/accounts";
import { expect, test } from "./support/test";

test("a copied session cookie stops working once its session signs out", async ({ page, browser }) => {
  await signUp(page, newEmail("copied"), newPassword());
  const stolen = await browser.newContext({ baseURL: new URL(page.url()).origin });
  await stolen.addCookies(await page.context().cookies());
  const thief = await stolen.newPage();
  await thief.goto("/account");
  await expect(thief).toHaveURL(/\/account$/);

  await signOut(page);

  await thief.goto("/account");
  await expect(thief).toHaveURL(/\/sign-in\?reason=session-ended$/);
  const origin = new URL(page.url()).origin;
  const api = await stolen.request.post("/api/account/sessions/sign-out-others", { headers: { origin }, data: {} });
  expect(api.status()).toBe(401);
  await stolen.close();
});

test("the security page lists each session, and signs another one out", async ({ page, browser }) => {
  const email = newEmail("sessions");
  const password = newPassword();
  await signUp(page, email, password);
  const origin = new URL(page.url()).origin;
  const elsewhere = await browser.newContext({ baseURL: origin, userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" });
  const other = await elsewhere.newPage();
  await other.goto("/account");
  await signIn(other, email, password);
  await expect(other).toHaveURL(/\/account$/);

  await page.goto("/account/security");
  const sessions = page.getByTestId("sessions").getByRole("listitem");
  await expect(sessions).toHaveCount(2);
  await expect(sessions.first()).toContainText("This browser");
  await expect(sessions.nth(1)).toContainText("Firefox on Linux");

  await page.getByRole("button", { name: /^Sign out Firefox on Linux/ }).click();
  await expect(page.getByText("That session is signed out.")).toBeVisible();
  await expect(sessions).toHaveCount(1);

  await other.goto("/account");
  await expect(other).toHaveURL(/\/sign-in\?reason=session-ended$/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/account$/);
  await elsewhere.close();
});
