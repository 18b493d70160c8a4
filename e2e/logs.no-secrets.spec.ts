/**
 * Secrets never reach the server's log: after a whole life in the browser (sign-up, enrollment with the
 * activation code, push, passcode, backup code, a remembered browser), the captured output of the server
 * (test-results/e2e-main.log, written by e2e/support/serve.ts) holds none of the password, the passcodes,
 * the backup codes, the session and remembered-browser cookies, the activation code, the Duo secret key or
 * AUTH_SECRET. The test first makes the server log a line it can find, so it cannot pass on an empty or
 * stale file.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "@playwright/test";
import { newEmail, newPassword, signIn, signOut, signUp } from "./support/accounts";
import { activationCodeOnPage, approvePush, completeEnrollment } from "./support/enrollment";
import { contextFile, E2E_BASE_URL } from "./support/settings";
import { expect, test } from "./support/test";

const LOG_FILE = path.resolve(import.meta.dirname, "../test-results/e2e-main.log");
/** How long the server's piped output may take to reach the file. */
const LOG_FLUSH_TIMEOUT_MS = 5_000;
/** Where a sign-in without a callbackUrl lands: the home page (or the account page it leads to). */
const SIGNED_IN = /^http:\/\/localhost:\d+\/(account)?$/;

function runSecrets(): { authSecret: string; duoSkey: string } {
  const context = JSON.parse(readFileSync(contextFile("main"), "utf8")) as { secrets?: { authSecret: string; duoSkey: string } };
  if (!context.secrets) throw new Error("e2e/support/serve.ts wrote no secrets for the main profile");
  return context.secrets;
}

async function cookieValue(context: BrowserContext, suffix: string): Promise<string> {
  const value = (await context.cookies()).find((cookie) => cookie.name.endsWith(suffix))?.value;
  if (!value) throw new Error(`no ${suffix} cookie`);
  return value;
}

async function toSecondFactor(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/mfa/);
}

test("a full sign-up, enrollment and every way of signing in leave no secret in the server's log", async ({ page, context, duo }) => {
  test.setTimeout(120_000);
  const startedAt = new Date();
  const logOffset = statSync(LOG_FILE).size;
  const secrets: Record<string, string> = {};

  // A session cookie the server cannot decrypt: the server logs the error by name, a line this test caused.
  const marker = await fetch(new URL("/api/auth/session", E2E_BASE_URL), {
    headers: { cookie: "__Secure-authjs.session-token=not-a-token-logs-spec" },
  });
  await marker.arrayBuffer();

  const email = newEmail("logs");
  const password = newPassword();
  secrets.password = password;
  await signUp(page, email, password);
  secrets["first session cookie"] = await cookieValue(context, "authjs.session-token");

  await page.goto("/account/security");
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  secrets["activation code"] = await activationCodeOnPage(page);
  const enrolled = await completeEnrollment(page, duo);
  enrolled.backupCodes.forEach((code, index) => (secrets[`backup code ${index + 1}`] = code));
  await signOut(page);

  await toSecondFactor(page, email, password);
  await approvePush(page, duo, enrolled.duoUserId);
  await expect(page).toHaveURL(SIGNED_IN);
  secrets["session cookie after push"] = await cookieValue(context, "authjs.session-token");
  await signOut(page);

  await toSecondFactor(page, email, password);
  await page.getByRole("button", { name: "Enter a passcode" }).click();
  const passcode = await duo.control.passcode(enrolled.device);
  secrets.passcode = passcode;
  await page.getByLabel("Passcode").fill(passcode);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(SIGNED_IN);
  await signOut(page);

  await toSecondFactor(page, email, password);
  await page.getByLabel(/Don't ask again on this browser/).check();
  await page.getByRole("button", { name: "Use a backup code" }).click();
  await page.getByLabel("Backup code").fill(enrolled.backupCodes[0] ?? "");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(SIGNED_IN);
  secrets["session cookie after backup code"] = await cookieValue(context, "authjs.session-token");
  secrets["remembered-browser cookie"] = await cookieValue(context, "remember-browser");
  await signOut(page);
  // The remembered browser signs in with the password alone.
  await page.goto("/sign-in");
  await signIn(page, email, password);
  await expect(page).toHaveURL(SIGNED_IN);

  const { authSecret, duoSkey } = runSecrets();
  secrets.AUTH_SECRET = authSecret;
  secrets["Duo secret key"] = duoSkey;

  // The server writes through a pipe: wait for this test's marker line before reading.
  let log = "";
  await expect
    .poll(
      () => {
        log = readFileSync(LOG_FILE, "utf8").slice(logOffset);
        return log
          .split("\n")
          .filter((line) => line.includes('"JWTSessionError"'))
          .some((line) => new Date(/"time":"([^"]+)"/.exec(line)?.[1] ?? 0) >= startedAt);
      },
      { timeout: LOG_FLUSH_TIMEOUT_MS, message: "the server's log shows this test's activity" },
    )
    .toBe(true);
  const whole = readFileSync(LOG_FILE, "utf8");

  expect(Object.keys(secrets).length).toBeGreaterThanOrEqual(17);
  for (const [name, value] of Object.entries(secrets)) {
    expect(value.length, name).toBeGreaterThanOrEqual(6);
    for (const form of new Set([value, encodeURIComponent(value), value.replaceAll("-", "")])) {
      expect(whole.includes(form), `the log contains the ${name}`).toBe(false);
    }
  }
});
