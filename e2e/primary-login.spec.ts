import { expect, test } from "./support/test";
import { newEmail, newPassword, signIn, signOut, signUp } from "./support/accounts";

test("sign up, sign out, sign in, and see the account page", async ({ page, db }) => {
  const email = newEmail();
  const password = newPassword();

  await test.step("sign up lands on the account page, signed in", async () => {
    await signUp(page, email, password);
    await expect(page.getByTestId("account-email")).toHaveText(email);
    await expect(page.getByTestId("two-factor-status")).toHaveText("Off");
  });

  await test.step("sign out ends the session, and is recorded", async () => {
    await signOut(page);
    await page.goto("/account");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Faccount$/);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    await expect.poll(() => db.authEvent.count({ where: { userId: user.id, type: "sign-out" } })).toBe(1);
  });

  await test.step("sign in again", async () => {
    await page.goto("/sign-in");
    await signIn(page, email, password);
    await expect(page).toHaveURL(/\/$/);
    await page.goto("/account");
    await expect(page.getByTestId("account-email")).toHaveText(email);
  });
});

test("a wrong password and an unknown email get the same generic message", async ({ page }) => {
  const email = newEmail();
  const password = newPassword();
  await signUp(page, email, password);
  await signOut(page);

  await signIn(page, email, `${password}x`);
  const alert = page.getByRole("main").getByRole("alert");
  await expect(alert).toHaveText("That email and password don't match an account.");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByLabel("Password")).toBeFocused();
  await expect(page.getByLabel("Password")).toHaveValue("");

  await page.goto("/sign-in");
  await signIn(page, newEmail("nobody"), password);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("That email and password don't match an account.");
});

test("a protected page visited signed out returns there after signing in", async ({ page }) => {
  const email = newEmail();
  const password = newPassword();
  await signUp(page, email, password);
  await signOut(page);

  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Faccount$/);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("account-email")).toHaveText(email);
});

test("a hostile callbackUrl is not followed off-site", async ({ page }) => {
  const email = newEmail();
  const password = newPassword();
  await signUp(page, email, password);
  await signOut(page);

  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("https://evil.example/steal")}`);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/$/);
});

test("the sign-up form explains a password that breaks the rules", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(newEmail());
  await page.getByLabel("Password").fill("qwerty123456");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("That password is too common or too easy to guess.", { exact: false })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-up$/);
});
