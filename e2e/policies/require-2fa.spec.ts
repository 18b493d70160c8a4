/**
 * REQUIRE_2FA=true (trust on first use) with DUO_ANONYMOUS_USERS=true and Duo's Verified Push policy on:
 * a new account enrolls inside its first sign-in, reaches nothing else before, and Duo never sees its email
 * as a username.
 */
import { newEmail, newPassword, signIn, signOut } from "../support/accounts";
import { approvePush, completeEnrollment } from "../support/enrollment";
import { expect, test } from "../support/test";

test("a new account enrolls inside its first sign-in, anonymously, before it reaches anything", async ({ page, duo }) => {
  const email = newEmail("tofu");
  const password = newPassword();
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();

  await test.step("the password alone reaches only the second-factor step", async () => {
    await expect(page).toHaveURL(/\/mfa\?callbackUrl=%2Faccount$/);
    await expect(page.getByText("This site requires two-factor authentication.")).toBeVisible();
    await page.goto("/account/security");
    await expect(page).toHaveURL(/\/mfa/);
    expect((await page.request.get("/api/account/anything")).status()).toBe(401);
  });

  const enrolled = await test.step("set up Duo Mobile, confirm with a Verified Push, save the codes", async () => {
    await page.getByRole("button", { name: "Set up Duo Mobile" }).click();
    return completeEnrollment(page, duo);
  });
  // Back to where the user was headed before being held at /mfa.
  await expect(page).toHaveURL(/\/account\/security$/);
  await expect(page.getByTestId("security-2fa-status")).toHaveText("On");

  await test.step("Duo never got the email as a username; pushes show it as display_username", async () => {
    const duoUser = await duo.control.user(enrolled.duoUserId);
    expect(duoUser.username).not.toContain("@");
    expect(duoUser.username).toMatch(/^[0-9a-f]{32}$/);
    const [push] = await duo.control.transactions(enrolled.duoUserId);
    expect(push?.display_username).toBe(email);
    expect(push?.verified_push).toBe(true);
  });

  await test.step("the next sign-in asks for the second factor, with a Verified Push code", async () => {
    await signOut(page);
    await page.goto("/account");
    await signIn(page, email, password);
    await expect(page).toHaveURL(/\/mfa/);
    await approvePush(page, duo, enrolled.duoUserId);
    await expect(page).toHaveURL(/\/account$/);
  });
});

test("a Verified Push approved with the wrong code is refused", async ({ page, duo }) => {
  const email = newEmail("verified");
  const password = newPassword();
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("button", { name: "Set up Duo Mobile" }).click();
  const enrolled = await completeEnrollment(page, duo);
  await signOut(page);

  await page.goto("/account");
  await signIn(page, email, password);
  await page.getByRole("button", { name: "Send Duo Push" }).click();
  const shown = await page.getByTestId("verification-code").textContent();
  const push = await duo.control.waitingTransaction(enrolled.duoUserId);
  const wrong = String((Number(shown) + 1) % 10 ** (shown?.length ?? 3)).padStart(shown?.length ?? 3, "0");
  await duo.control.answer(push.txid, "approve", wrong);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("The push was denied");
  await page.goto("/account");
  await expect(page).toHaveURL(/\/mfa/);
});
