import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import type { DuoFixture, EnrolledAccount } from "./test";

/** A password that passes the rules and is unique to the test. */
export function newPassword(): string {
  return `lantern ${randomBytes(6).toString("hex")} meadow`;
}

export function newEmail(label = "user"): string {
  return `${label}-${randomBytes(5).toString("hex")}@example.com`;
}

export async function signUp(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account$/);
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
}

export interface TwoFactorAccount extends EnrolledAccount {
  email: string;
  password: string;
}

/** A signed-out account with 2FA on (a Duo user with one phone, and backup codes), ready to sign in. */
export async function accountWithTwoFactor(page: Page, duo: DuoFixture, label = "mfa", devices?: Array<Record<string, unknown>>): Promise<TwoFactorAccount> {
  const email = newEmail(label);
  const password = newPassword();
  await signUp(page, email, password);
  await signOut(page);
  return { email, password, ...(await duo.giveTwoFactor(email, devices)) };
}
