/**
 * In Chromium, the two waits a user feels most:
 *
 * 1. Push approval to page: from Approve on the virtual phone (the emulator's control API) to the protected
 *    page's first contentful paint after /mfa. Baseline: the same navigation to the same page in a session
 *    whose second factor is already done (from the click that starts it to its first contentful paint).
 * 2. Enrollment detection: from activating the QR code on the virtual phone to "Duo Mobile is set up."
 *    in the page. Baseline: one round trip of the route the page polls, made from the page.
 *
 * Times are taken on one clock: Node's and the page's `performance.timeOrigin + now()` are both wall-clock
 * milliseconds with sub-millisecond resolution, on the same machine.
 */
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutable } from "../e2e/support/chromium";
import { BENCH_PASSWORD, newClientIp, type BenchAccount, type BenchApp } from "./support/bench-app";
import { summarize, type Summary } from "./support/stats";

/** Runs whose figures are kept, after one warm-up run that is not. */
const PUSH_RUNS = 20;
const ENROLLMENT_RUNS = 10;
const ROUND_TRIP_RUNS = 20;
/** How long any one step of a run may take before the run fails. */
const STEP_TIMEOUT_MS = 30_000;
const PROTECTED_PAGE = "/account";

export interface BrowserFigures {
  pushToPage: { approveToPage: Summary; baselineNavigation: Summary; ratio: number };
  enrollment: { activationToShown: Summary; baselineRoundTrip: Summary; ratio: number };
}

function now(): number {
  return performance.timeOrigin + performance.now();
}

async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  // Each run comes from an address of its own, so the per-address sign-in limit is never what is measured.
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": newClientIp() } });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  return context;
}

/** A failed run says where the page was and what it showed. */
async function withPageState(context: BrowserContext, error: unknown): Promise<Error> {
  const page = context.pages()[0];
  const shown = page ? `${page.url()}: ${(await page.locator("body").innerText().catch(() => "?")).slice(0, 500)}` : "no page";
  return new Error(`${error instanceof Error ? error.message : String(error)}\n  page: ${shown}`);
}

/** Wall-clock time of the current document's first contentful paint. */
async function firstContentfulPaint(page: Page): Promise<number> {
  await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0, undefined, { timeout: STEP_TIMEOUT_MS });
  return page.evaluate(() => performance.timeOrigin + (performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN));
}

async function signInToMfa(page: Page, email: string): Promise<void> {
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(PROTECTED_PAGE)}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(BENCH_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/mfa/);
}

/** One sign-in up to a push waiting on the phone; returns the time from Approve to the page painted. */
async function pushRun(app: BenchApp, browser: Browser, account: BenchAccount): Promise<{ approveToPage: number; baseline: number }> {
  const context = await newContext(browser, app.server.url);
  try {
    const page = await context.newPage();
    await signInToMfa(page, account.email);
    const seen = (await app.control.transactions(account.duoUserId)).map((t) => t.txid);
    await page.getByRole("button", { name: "Send Duo Push" }).click();
    const push = await app.control.waitingTransaction(account.duoUserId, { except: seen, timeoutMs: STEP_TIMEOUT_MS });
    const approvedAt = now();
    await app.control.answer(push.txid, "approve");
    await page.waitForURL((url) => url.pathname === PROTECTED_PAGE);
    const approveToPage = (await firstContentfulPaint(page)) - approvedAt;

    // Baseline: the same navigation, the second factor already done.
    await page.goto("/account/security");
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    const startedAt = now();
    await page.evaluate((target) => window.location.assign(target), PROTECTED_PAGE);
    await page.waitForURL((url) => url.pathname === PROTECTED_PAGE);
    const baseline = (await firstContentfulPaint(page)) - startedAt;
    return { approveToPage, baseline };
  } catch (error) {
    throw await withPageState(context, error);
  } finally {
    await context.close();
  }
}

/** Watches the page for a text and records (in a page global) the wall-clock time of the frame it shows in. */
async function watchFor(page: Page, text: string): Promise<void> {
  await page.evaluate((wanted) => {
    const record = window as unknown as { __shownAt?: number };
    delete record.__shownAt;
    const observer = new MutationObserver(() => {
      if (record.__shownAt === undefined && document.body.innerText.includes(wanted)) {
        observer.disconnect();
        requestAnimationFrame(() => (record.__shownAt = performance.timeOrigin + performance.now()));
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  }, text);
}

async function enrollmentRun(app: BenchApp, browser: Browser, index: number): Promise<{ detection: number; roundTrips: number[] }> {
  const context = await newContext(browser, app.server.url);
  try {
    const page = await context.newPage();
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(`bench-enroll-${Date.now()}-${index}@example.com`);
    await page.getByLabel("Password").fill(BENCH_PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL((url) => url.pathname === "/account");
    await page.goto("/account/security");
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    const qr = page.getByRole("img", { name: "QR code to scan with Duo Mobile" });
    const src = (await qr.getAttribute("src")) ?? "";
    const code = new URL(src).searchParams.get("value");
    if (!code) throw new Error(`no activation code in ${src}`);

    // Baseline: what one poll costs, from the page, while it waits.
    const roundTrips = await page.evaluate(async (runs) => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        await fetch("/api/mfa/enrollment/status", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
        times.push(performance.now() - started);
      }
      return times;
    }, ROUND_TRIP_RUNS);

    await watchFor(page, "Duo Mobile is set up.");
    const activatedAt = now();
    await app.control.activate(code);
    await page.getByText("Duo Mobile is set up.").waitFor();
    const shownAt = await page.waitForFunction(() => (window as unknown as { __shownAt?: number }).__shownAt, undefined, { timeout: STEP_TIMEOUT_MS });
    return { detection: Number(await shownAt.jsonValue()) - activatedAt, roundTrips };
  } catch (error) {
    throw await withPageState(context, error);
  } finally {
    await context.close();
  }
}

export async function measureInBrowser(app: BenchApp, log: (line: string) => void): Promise<BrowserFigures> {
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  try {
    // An account per run: the second-factor routes allow 30 actions per account in 10 minutes, and each
    // run takes two (opening the step, sending the push).
    const accounts = await app.seedAccounts(PUSH_RUNS + 1, `push-${Date.now()}`);
    const approveToPage: number[] = [];
    const baseline: number[] = [];
    for (const [run, account] of accounts.entries()) {
      const result = await pushRun(app, browser, account);
      if (run === 0) continue; // warm-up: first renders of each page, JIT
      approveToPage.push(result.approveToPage);
      baseline.push(result.baseline);
    }
    log(`push approval to page: ${PUSH_RUNS} runs`);

    const detection: number[] = [];
    const roundTrips: number[] = [];
    for (let run = 0; run <= ENROLLMENT_RUNS; run++) {
      const result = await enrollmentRun(app, browser, run);
      if (run === 0) continue;
      detection.push(result.detection);
      roundTrips.push(...result.roundTrips);
    }
    log(`enrollment detection: ${ENROLLMENT_RUNS} runs`);

    const push = { approveToPage: summarize(approveToPage), baselineNavigation: summarize(baseline) };
    const enrollment = { activationToShown: summarize(detection), baselineRoundTrip: summarize(roundTrips) };
    return {
      pushToPage: { ...push, ratio: push.approveToPage.median / push.baselineNavigation.median },
      enrollment: { ...enrollment, ratio: enrollment.activationToShown.median / enrollment.baselineRoundTrip.median },
    };
  } finally {
    await browser.close();
  }
}
