/**
 * The app's routes under load, with autocannon where requests are alike and plain concurrent requests
 * where each user holds state (a pending sign-in, a push on the phone):
 *
 * - Sign-in (POST /api/auth/callback/credentials, as the form sends it), with the share of it that is
 *   bcrypt, and its throughput with 10 connections. Baseline: one bcrypt verification in this process.
 * - The /preauth step: GET /mfa for pending sign-ins (the page runs Duo's /check and /preauth on the
 *   server). Baseline: GET /sign-in, a page of the same build that calls nobody.
 * - The status route with 200 users waiting on a push at once: each long-poll's latency and outcome, the
 *   server's memory and how fast it still answers /api/health meanwhile; then all 200 approved at once,
 *   and the time from each approval to its held request answering "passed".
 */
import { performance } from "node:perf_hooks";
import autocannon, { type AutocannonResult } from "autocannon";
import { hashPassword, verifyPassword } from "../lib/auth/password";
import { answerTransaction } from "../lib/emulator/core/phone-actions";
import { rssTree, totalRssMiB } from "../scripts/support/rss";
import { BENCH_PASSWORD, newClientIp, type BenchAccount, type BenchApp } from "./support/bench-app";
import { HttpSession } from "./support/http-session";
import { summarize, type Summary } from "./support/stats";

const SIGN_IN_SEQUENTIAL_RUNS = 20;
const SIGN_IN_CONNECTIONS = 10;
const PAGE_CONNECTIONS = 20;
const LOAD_SECONDS = 10;
export const WAITING_USERS = 200;
/** Pending sign-ins GET /mfa is spread over: each may open the step this many times (the per-account limit is 30 per 10 min). */
const PREAUTH_ACCOUNTS = 30;
const PREAUTH_REQUESTS_PER_ACCOUNT = 25;
/** Sign-ins and pushes are set up this many at a time (not measured). */
const SETUP_CONCURRENCY = 20;
/** How long after the 200 long-polls start memory and /api/health are measured (they are all held by then). */
const SETTLE_MS = 2_000;

export interface Throughput {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
}

export interface RouteFigures {
  signIn: { sequential: Summary; bcrypt: Summary; bcryptShare: number; underLoad: Throughput };
  preauthStep: { mfaPage: Throughput; baselineSignInPage: Throughput; latencyRatio: number };
  statusRoute: {
    users: number;
    longPoll: Summary;
    outcomes: Record<string, number>;
    errors: number;
    approvalToAnswer: Summary;
    approvalErrors: number;
    health: { idle: Throughput; with200Waiting: Throughput; latencyRatio: number };
    rssMiB: { idle: number; with200Waiting: number };
  };
}

function throughput(result: AutocannonResult): Throughput {
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx + result.mismatches,
  };
}

/** Runs `work` over `items`, `limit` at a time. */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit) results.push(...(await Promise.all(items.slice(start, start + limit).map(work))));
  return results;
}

async function pendingSession(app: BenchApp, account: BenchAccount): Promise<HttpSession> {
  const session = new HttpSession(app.server.url, {}, account.clientIp);
  await session.signIn(account.email, BENCH_PASSWORD);
  return session;
}

async function measureSignIn(app: BenchApp): Promise<RouteFigures["signIn"]> {
  const email = `bench-sign-in-${Date.now()}@example.com`;
  await new HttpSession(app.server.url, {}, newClientIp()).signUp(email, BENCH_PASSWORD);

  // One sign-in request, then one bcrypt verification here, in turn: drift (load, CPU frequency) hits both alike.
  const hash = await hashPassword(BENCH_PASSWORD);
  const sequentialMs: number[] = [];
  const bcryptMs: number[] = [];
  for (let run = 0; run <= SIGN_IN_SEQUENTIAL_RUNS; run++) {
    const session = new HttpSession(app.server.url, {}, newClientIp());
    const csrf = await session.csrfToken();
    let started = performance.now();
    await session.signIn(email, BENCH_PASSWORD, csrf);
    if (run > 0) sequentialMs.push(performance.now() - started);
    started = performance.now();
    await verifyPassword(BENCH_PASSWORD, hash);
    if (run > 0) bcryptMs.push(performance.now() - started);
  }

  // The CSRF token is bound to its cookie, not to an address: one pair serves every request.
  const session = new HttpSession(app.server.url, {}, newClientIp());
  const csrfToken = await session.csrfToken();
  const underLoad = await autocannon({
    url: `${app.server.url}/api/auth/callback/credentials`,
    connections: SIGN_IN_CONNECTIONS,
    duration: LOAD_SECONDS,
    timeout: 30,
    verifyBody: (body) => body.includes('"url"') && !body.includes("error="),
    requests: [
      {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-auth-return-redirect": "1",
          origin: app.server.url,
          cookie: session.cookieHeader(),
        },
        body: new URLSearchParams({ email, password: BENCH_PASSWORD, csrfToken }).toString(),
        // Each sign-in from an address of its own: the per-address limit (30 per 10 min) is not what is measured.
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, "x-forwarded-for": newClientIp() } }),
      },
    ],
  });

  const sequential = summarize(sequentialMs);
  const bcrypt = summarize(bcryptMs);
  return { sequential, bcrypt, bcryptShare: bcrypt.median / sequential.median, underLoad: throughput(underLoad) };
}

async function measurePreauthStep(app: BenchApp): Promise<RouteFigures["preauthStep"]> {
  const accounts = await app.seedAccounts(PREAUTH_ACCOUNTS, `preauth-${Date.now()}`);
  const sessions = await inBatches(accounts, SETUP_CONCURRENCY, async (account) => ({ account, session: await pendingSession(app, account) }));
  let next = 0;
  const mfaPage = await autocannon({
    url: `${app.server.url}/mfa`,
    connections: PAGE_CONNECTIONS,
    amount: PREAUTH_ACCOUNTS * PREAUTH_REQUESTS_PER_ACCOUNT,
    timeout: 30,
    // The step was opened, with the device Duo's /preauth listed (not a refusal or an ended attempt).
    verifyBody: (body) => body.includes("Send Duo Push"),
    requests: [
      {
        setupRequest: (request) => {
          const { account, session } = sessions[next++ % sessions.length] ?? {};
          if (!account || !session) return request;
          return { ...request, headers: { ...request.headers, cookie: session.cookieHeader(), "x-forwarded-for": account.clientIp } };
        },
      },
    ],
  });
  const baselineSignInPage = await autocannon({
    url: `${app.server.url}/sign-in`,
    connections: PAGE_CONNECTIONS,
    amount: PREAUTH_ACCOUNTS * PREAUTH_REQUESTS_PER_ACCOUNT,
    timeout: 30,
  });
  const figures = { mfaPage: throughput(mfaPage), baselineSignInPage: throughput(baselineSignInPage) };
  return { ...figures, latencyRatio: figures.mfaPage.p50Ms / figures.baselineSignInPage.p50Ms };
}

async function health(app: BenchApp): Promise<Throughput> {
  return throughput(await autocannon({ url: `${app.server.url}/api/health`, connections: 5, duration: 3 }));
}

interface Poll {
  status: string;
  endedAt: number;
  ms: number;
}

async function poll(session: HttpSession): Promise<Poll> {
  const started = performance.now();
  try {
    const response = await session.postJson("/api/mfa/status");
    const text = await response.text();
    const status = response.status === 200 ? String((JSON.parse(text) as { status?: unknown }).status) : `HTTP ${response.status}`;
    return { status, endedAt: performance.now(), ms: performance.now() - started };
  } catch (error) {
    return { status: `network: ${error instanceof Error ? error.message : String(error)}`, endedAt: performance.now(), ms: performance.now() - started };
  }
}

async function measureStatusRoute(app: BenchApp, log: (line: string) => void): Promise<RouteFigures["statusRoute"]> {
  const pid = app.server.process.pid ?? 0;
  const idleHealth = await health(app);
  const idleRss = totalRssMiB(rssTree(pid));

  const accounts = await app.seedAccounts(WAITING_USERS, `status-${Date.now()}`);
  const signedIn = await inBatches(accounts, SETUP_CONCURRENCY, async (account) => ({ account, session: await pendingSession(app, account) }));
  // Pushes go out only once every password step is done (bcrypt makes those slow): a push expires after 60 s.
  const users = await inBatches(signedIn, SETUP_CONCURRENCY, async ({ account, session }) => {
    const sent = await session.postJson("/api/mfa/send", { kind: "push", device: account.device });
    const body = (await sent.json()) as { status?: string };
    if (body.status !== "pushed") throw new Error(`push not sent for ${account.email}: ${JSON.stringify(body)}`);
    const push = await app.control.waitingTransaction(account.duoUserId);
    return { account, session, txid: push.txid };
  });

  log(`${users.length} pushes waiting`);
  // Round 1: all 200 wait on an unanswered push until the route's long-poll window ends.
  const held = Promise.all(users.map((user) => poll(user.session)));
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const waitingRss = totalRssMiB(rssTree(pid));
  const waitingHealth = await health(app);
  const round1 = await held;
  const outcomes: Record<string, number> = {};
  for (const result of round1) outcomes[result.status] = (outcomes[result.status] ?? 0) + 1;
  log(`the first ${users.length} long-polls ended: ${JSON.stringify(outcomes)}`);

  // Round 2: all 200 wait again; then every push is approved at once.
  const polls = users.map((user) => poll(user.session));
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  // Approved in this process, straight on the emulator's state (as its control API does), so that 200
  // HTTP calls to the control API are not part of what is measured.
  const approvedAt = new Map<string, number>();
  let notApproved = 0;
  for (const user of users) {
    approvedAt.set(user.txid, performance.now());
    if (!answerTransaction(app.emulator.context, user.txid, "approve", null).ok) notApproved += 1;
  }
  const round2 = await Promise.all(polls);

  const approvalMs = round2.flatMap((result, i) => (result.status === "passed" ? [result.endedAt - (approvedAt.get(users[i]?.txid ?? "") ?? result.endedAt)] : []));
  return {
    users: users.length,
    longPoll: summarize(round1.map((r) => r.ms)),
    outcomes,
    errors: round1.filter((r) => r.status !== "waiting").length,
    approvalToAnswer: summarize(approvalMs),
    approvalErrors: notApproved + round2.filter((r) => r.status !== "passed").length,
    health: { idle: idleHealth, with200Waiting: waitingHealth, latencyRatio: waitingHealth.p50Ms / Math.max(idleHealth.p50Ms, 1) },
    rssMiB: { idle: idleRss, with200Waiting: waitingRss },
  };
}

export async function measureRoutes(app: BenchApp, log: (line: string) => void): Promise<RouteFigures> {
  const signIn = await measureSignIn(app);
  log("sign-in route measured");
  const preauthStep = await measurePreauthStep(app);
  log("preauth step measured");
  const statusRoute = await measureStatusRoute(app, log);
  log("status route measured");
  return { signIn, preauthStep, statusRoute };
}
