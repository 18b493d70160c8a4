/**
 * Open redirect: hostile callbackUrl payloads (lib/auth/callback-url.payloads.ts, shared with the unit
 * test) never send the browser off-site — not through the gate's redirects (signed out, pending, signed
 * in), not through what the sign-in and second-factor pages hand their forms, and not through a real
 * sign-in with the second factor in the browser.
 */
import type { Browser, Page } from "@playwright/test";
import { HOSTILE_CALLBACK_URLS } from "../lib/auth/callback-url.payloads";
import { newEmail, newPassword, signIn } from "./support/accounts";
import { HttpSession, passwordSession, signUpOverHttp, fullSessionWithBackupCode } from "./support/http-session";
import { E2E_BASE_URL } from "./support/settings";
import { expect, randomClientIp, test } from "./support/test";

const APP_ORIGIN = new URL(E2E_BASE_URL).origin;

function withCallback(path: string, payload: string): string {
  return `${path}?${new URLSearchParams({ callbackUrl: payload })}`;
}

/** A Location stays on the app, and so does any callbackUrl it carries on. */
function expectOnSite(location: string | null, label: string): void {
  expect(location, label).not.toBeNull();
  const url = new URL(location ?? "", E2E_BASE_URL);
  expect(url.origin, `${label} → ${location}`).toBe(APP_ORIGIN);
  const next = url.searchParams.get("callbackUrl");
  if (next !== null) expect(new URL(next, E2E_BASE_URL).origin, `${label} → ${location}`).toBe(APP_ORIGIN);
}

/** The destinations a page hands its client components (the RSC payload in the HTML). */
function callbackProps(html: string): string[] {
  const unescaped = html.replaceAll('\\"', '"');
  return [...unescaped.matchAll(/"callbackUrl":"([^"]*)"/g)].map((match) => match[1] ?? "");
}

test("has at least 20 hostile payloads", () => {
  expect(HOSTILE_CALLBACK_URLS.length).toBeGreaterThanOrEqual(20);
});

test("the gate's redirects never leave the app, whatever the callbackUrl", async ({ duo }) => {
  const email = newEmail("redirect-gate");
  const password = newPassword();
  await signUpOverHttp(E2E_BASE_URL, email, password);
  const { backupCodes } = await duo.giveTwoFactor(email);
  const signedOut = new HttpSession(E2E_BASE_URL);
  const pending = await passwordSession(E2E_BASE_URL, email, password);
  const full = await fullSessionWithBackupCode(E2E_BASE_URL, email, password, backupCodes[0] ?? "");

  const cases: [HttpSession, string, string][] = [
    [signedOut, "/mfa", "signed out, /mfa → sign-in"],
    [pending, "/sign-in", "pending, /sign-in → /mfa"],
    [full, "/sign-in", "signed in, /sign-in → destination"],
    [full, "/sign-up", "signed in, /sign-up → destination"],
    [full, "/mfa", "signed in, /mfa → destination"],
  ];
  // Signed out, a protected page redirects to sign-in carrying the page itself, never the payload's host.
  cases.push([signedOut, "/account", "signed out, /account → sign-in"]);
  let redirects = 0;
  for (const payload of HOSTILE_CALLBACK_URLS) {
    await Promise.all(
      cases.map(async ([session, path, label]) => {
        expectOnSite(await session.pageRedirect(withCallback(path, payload)), `${label} with ${JSON.stringify(payload)}`);
        redirects += 1;
      }),
    );
  }
  expect(redirects).toBe(HOSTILE_CALLBACK_URLS.length * cases.length);
});

test("the sign-in, sign-up and second-factor pages hand their forms only the home page", async ({ duo }) => {
  const email = newEmail("redirect-pages");
  const password = newPassword();
  await signUpOverHttp(E2E_BASE_URL, email, password);
  await duo.giveTwoFactor(email);
  const signedOut = new HttpSession(E2E_BASE_URL);
  const pending = await passwordSession(E2E_BASE_URL, email, password);

  for (const payload of HOSTILE_CALLBACK_URLS) {
    const pages = [[signedOut, "/sign-in"], [signedOut, "/sign-up"], [pending, "/mfa"]] as const;
    await Promise.all(pages.map(async ([session, path]) => {
      const response = await session.send(withCallback(path, payload));
      const html = await response.text();
      const label = `${path} with ${JSON.stringify(payload)}`;
      expect(response.status, label).toBe(200);
      const props = callbackProps(html);
      expect(props.length, `${label}: the page passes its form a callbackUrl`).toBeGreaterThan(0);
      for (const prop of props) expect(prop, label).toBe("/");
    }));
  }
});

async function signInThroughPages(browser: Browser, email: string, password: string, code: string, payload: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  const page = await context.newPage();
  page.on("dialog", (dialog) => {
    throw new Error(`a script ran from the callbackUrl ${JSON.stringify(payload)}: ${dialog.message()}`);
  });
  await page.goto(withCallback("/sign-in", payload));
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/mfa(\?|$)/);
  await page.getByRole("button", { name: "Use a backup code" }).click();
  await page.getByLabel("Backup code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).not.toHaveURL(/\/mfa(\?|$)/);
  await page.waitForLoadState("load");
  return page;
}

test("a real sign-in with the second factor lands on the app for the sharpest payloads", async ({ browser, baseURL, duo }) => {
  const email = newEmail("redirect-browser");
  const password = newPassword();
  await signUpOverHttp(E2E_BASE_URL, email, password);
  const { backupCodes } = await duo.giveTwoFactor(email);
  test.setTimeout(90_000);
  // Each is a full sign-in (bcrypt, pages, a backup code): a few of the sharpest; the tests above take them all.
  const sharpest = ["/\\evil.example", "javascript:alert(1)", "/%2F%2Fevil.example"];
  expect(sharpest.every((payload) => HOSTILE_CALLBACK_URLS.includes(payload))).toBe(true);
  for (const [index, payload] of sharpest.entries()) {
    const page = await signInThroughPages(browser, email, password, backupCodes[index] ?? "", payload);
    const landed = new URL(page.url());
    expect(landed.origin, `${JSON.stringify(payload)} → ${page.url()}`).toBe(new URL(baseURL ?? E2E_BASE_URL).origin);
    expect(page.url()).not.toContain("evil.example");
    await page.context().close();
  }
});
