/** "Don't ask again on this browser": skips the second factor, rotates its token, and stops when revoked. */
import type { BrowserContext, Page } from "@playwright/test";
import { newEmail, newPassword, signIn, signOut, signUp } from "./support/accounts";
import { approvePush } from "./support/enrollment";
import { HttpSession } from "../bench/support/http-session";
import { expect, test } from "./support/test";

async function rememberCookie(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name.endsWith("remember-browser"))?.value;
}

async function signInAgain(page: Page, email: string, password: string): Promise<void> {
  await signOut(page);
  await page.goto("/account");
  await signIn(page, email, password);
}

test("a remembered browser skips the second factor, with a new token each time, until it is forgotten", async ({ page, context, duo, db }) => {
  const email = newEmail("remember");
  const password = newPassword();
  await signUp(page, email, password);
  const { device } = await duo.giveTwoFactor(email);
  expect(device).not.toBe("");
  const duoUser = (await db.user.findUniqueOrThrow({ where: { email } })).duoUserId ?? "";

  await test.step("ask to be remembered at the second factor", async () => {
    await signInAgain(page, email, password);
    await expect(page).toHaveURL(/\/mfa/);
    await page.getByLabel("Don't ask again on this browser for 30 days").check();
    await approvePush(page, duo, duoUser);
    await expect(page).toHaveURL(/\/account$/);
  });
  const first = await rememberCookie(context);
  expect(first).toBeTruthy();
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("remember-browser"));
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: true });

  await test.step("the next sign-in skips it, and the token rotates", async () => {
    await signInAgain(page, email, password);
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByText("Password, on a remembered browser")).toBeVisible();
    const second = await rememberCookie(context);
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
  });

  await test.step("the old token no longer works: a stolen copy of it is worthless", async () => {
    const session = new HttpSession(new URL(page.url()).origin, { [cookie?.name ?? ""]: first ?? "" });
    await session.signIn(email, password);
    expect(await session.sessionState()).toMatchObject({ mfaPending: true });
  });

  await test.step("forgetting the browser on the security page brings the second factor back", async () => {
    await page.goto("/account/security");
    await page.getByRole("button", { name: /^Forget Chrome on Linux/ }).click();
    await expect(page.getByText("No browser is remembered.")).toBeVisible();
    await signInAgain(page, email, password);
    await expect(page).toHaveURL(/\/mfa/);
  });
});

test("a remembered-browser cookie of one account does nothing for another", async ({ page, context, duo, db }) => {
  const alice = { email: newEmail("alice"), password: newPassword() };
  const bob = { email: newEmail("bob"), password: newPassword() };
  await signUp(page, alice.email, alice.password);
  await signOut(page);
  await signUp(page, bob.email, bob.password);
  await duo.giveTwoFactor(alice.email);
  await duo.giveTwoFactor(bob.email);
  const aliceDuo = (await db.user.findUniqueOrThrow({ where: { email: alice.email } })).duoUserId ?? "";

  await signInAgain(page, alice.email, alice.password);
  await page.getByLabel(/Don't ask again on this browser/).check();
  await approvePush(page, duo, aliceDuo);
  await expect(page).toHaveURL(/\/account$/);
  expect(await rememberCookie(context)).toBeTruthy();

  await signInAgain(page, bob.email, bob.password);
  await expect(page).toHaveURL(/\/mfa/);
  expect(await rememberCookie(context), "the foreign token is cleared").toBeFalsy();
});
