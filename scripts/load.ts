/**
 * `npm run load`: many users signing in with Duo Push at once, against the production build and the Duo
 * emulator, on SQLite and/or PostgreSQL. Each virtual user loops: sign in with the password → pending
 * session → send a push → the emulator's control API approves it → poll status until the session is
 * upgraded → open a protected page → sign out. It reports what completed, every distinct error, the
 * AuthEvent rows the database holds against the sign-ins completed (none may be lost), per-step latency
 * and the server's memory, and exits non-zero on any error or lost row.
 *
 *   npm run load -- --db both --users 200 --duration 60
 *
 * The generated Prisma client (and so the build, which embeds it) is provider-specific: for each database
 * this prepares the client, rebuilds `.next` when it is missing or older than the sources or the client,
 * runs the load in a child process, and finally puts the client back for the DATABASE_URL it started with.
 * Every virtual user comes from its own address (X-Forwarded-For with TRUST_PROXY=true), as real users
 * would, so the per-address limits stay on.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { seedTwoFactorAccounts, type SeededAccount } from "../bench/support/bench-app";
import { HttpSession } from "../bench/support/http-session";
import { round, summarize } from "../bench/support/stats";
import { hashPassword } from "../lib/auth/password";
import { startEmulator } from "../lib/emulator/server";
import { EmulatorControl } from "../test/support/emulator-control";
import { startAppServer } from "./support/app-server";
import { rssTree, totalRssMiB } from "./support/rss";

const root = path.resolve(import.meta.dirname, "..");
const DEFAULT_USERS = 200;
const DEFAULT_DURATION_SECONDS = 60;
/** The app's port; the emulator listens on the next one. */
const DEFAULT_PORT = Number(process.env.LOAD_PORT ?? 3380);
const DEFAULT_PG_SERVER_URL = "postgresql://root@127.0.0.1:5432/test";
/** A status poll that says "waiting" is asked again at once, up to this many times per push. */
const MAX_STATUS_POLLS = 20;
/** How long an approved push may take to show up as a waiting transaction at the emulator. */
const WAITING_TRANSACTION_TIMEOUT_MS = 30_000;
const PASSWORD = "load lantern meadow orchard";
/** Directories and files the production build is made from: newer than the build means a rebuild. */
const BUILD_INPUTS = ["app", "components", "lib", "proxy.ts", "instrumentation.ts", "instrumentation-node.ts", "next.config.ts", "postcss.config.mjs"];

type DbChoice = "sqlite" | "postgres";
const STEPS = ["sign-in", "pending", "send", "approve", "status", "session", "protected", "sign-out"] as const;
type Step = (typeof STEPS)[number];

const args = parseArgs({
  options: {
    db: { type: "string", default: "both" },
    users: { type: "string", default: String(DEFAULT_USERS) },
    duration: { type: "string", default: String(DEFAULT_DURATION_SECONDS) },
    port: { type: "string", default: String(DEFAULT_PORT) },
    "no-build": { type: "boolean", default: false },
    child: { type: "boolean", default: false },
  },
});
const options = z
  .object({
    db: z.enum(["sqlite", "postgres", "both"]),
    users: z.coerce.number().int().min(1).max(5_000),
    duration: z.coerce.number().positive().max(3_600),
    port: z.coerce.number().int().min(1_024).max(65_534),
  })
  .parse(args.values);

// ───────────────────────────── the parent: prepare, build, run each database ─────────────────────────────

function run(command: string, commandArgs: string[], env: NodeJS.ProcessEnv): number {
  const result = spawnSync(command, commandArgs, { cwd: root, env, stdio: "inherit" });
  return result.status ?? 1;
}

function newestMtime(target: string): number {
  const full = path.join(root, target);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    if (entry.name === "node_modules" || (entry.name.startsWith(".") && entry.name !== ".schema-hash")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/** The build is stale when it is missing or older than a source file or the generated client. */
function buildIsStale(): boolean {
  const buildId = path.join(root, ".next/BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return BUILD_INPUTS.some((input) => newestMtime(input) > built);
}

function envFor(db: DbChoice): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  if (db === "postgres") env.DATABASE_URL = process.env.LOAD_PG_URL ?? DEFAULT_PG_SERVER_URL;
  else delete env.DATABASE_URL;
  return env;
}

function parent(): number {
  const databases: DbChoice[] = options.db === "both" ? ["sqlite", "postgres"] : [options.db];
  const tsx = ["--import", "tsx"];
  let failed = 0;
  try {
    for (const db of databases) {
      const env = envFor(db);
      console.log(`\n━━ ${db}: ${options.users} users for ${options.duration} s ━━`);
      if (run(process.execPath, [...tsx, "scripts/db/prepare.ts", "--quiet"], env) !== 0) return 1;
      if (buildIsStale()) {
        if (args.values["no-build"]) {
          console.error("The production build is missing or stale; run without --no-build (or `npm run build`).");
          return 1;
        }
        console.log("Building the production app (next build)…");
        if (run(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], env) !== 0) return 1;
      }
      const childArgs = ["scripts/load.ts", "--child", "--db", db, "--users", String(options.users), "--duration", String(options.duration), "--port", String(options.port)];
      if (run(process.execPath, [...tsx, ...childArgs], env) !== 0) failed += 1;
    }
  } finally {
    // Leave the generated client as it was for the caller's DATABASE_URL.
    run(process.execPath, [...tsx, "scripts/db/prepare.ts", "--quiet"], { ...process.env });
  }
  return failed === 0 ? 0 : 1;
}

// ───────────────────────────── the child: one database, one run ─────────────────────────────

class StepError extends Error {
  constructor(
    readonly step: Step,
    message: string,
  ) {
    super(message);
  }
}

interface Tally {
  passwordSteps: number;
  completed: number;
  samples: Record<Step, number[]>;
  errors: Map<string, number>;
}

async function expectJson(step: Step, response: Response, status: number): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (response.status !== status) throw new StepError(step, `HTTP ${response.status} ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new StepError(step, `not JSON: ${text.slice(0, 100)}`);
  }
}

/** One full sign-in and sign-out; returns each step's duration. */
async function iteration(baseUrl: string, control: EmulatorControl, account: SeededAccount, clientIp: string, tally: Tally): Promise<Record<Step, number>> {
  const timings = {} as Record<Step, number>;
  const session = new HttpSession(baseUrl, {}, clientIp);
  const timed = async <T>(step: Step, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } catch (error) {
      throw error instanceof StepError ? error : new StepError(step, error instanceof Error ? error.message : String(error));
    } finally {
      timings[step] = performance.now() - started;
    }
  };

  await timed("sign-in", () => session.signIn(account.email, PASSWORD));
  await timed("pending", async () => {
    const state = await session.sessionState();
    if (!state?.mfaPending) throw new StepError("pending", `expected a pending session, got ${JSON.stringify(state)}`);
  });
  tally.passwordSteps += 1;
  const seen = (await control.transactions(account.email)).map((t) => t.txid);
  await timed("send", async () => {
    const body = await expectJson("send", await session.postJson("/api/mfa/send", { kind: "push", device: account.device }), 200);
    if (body.status !== "pushed") throw new StepError("send", `expected pushed, got ${JSON.stringify(body)}`);
  });
  await timed("approve", async () => {
    const waiting = await control.waitingTransaction(account.email, { except: seen, timeoutMs: WAITING_TRANSACTION_TIMEOUT_MS });
    await control.answer(waiting.txid, "approve");
  });
  await timed("status", async () => {
    for (let poll = 0; poll < MAX_STATUS_POLLS; poll++) {
      const body = await expectJson("status", await session.postJson("/api/mfa/status"), 200);
      if (body.status === "passed") return;
      if (body.status !== "waiting") throw new StepError("status", `expected passed or waiting, got ${JSON.stringify(body)}`);
    }
    throw new StepError("status", `still waiting after ${MAX_STATUS_POLLS} polls`);
  });
  await timed("session", async () => {
    const state = await session.sessionState();
    if (!state || state.mfaPending || state.assurance !== "mfa") throw new StepError("session", `expected a full session, got ${JSON.stringify(state)}`);
  });
  tally.completed += 1;
  await timed("protected", async () => {
    const response = await session.request("/account");
    await response.arrayBuffer();
    if (response.status !== 200) throw new StepError("protected", `GET /account answered ${response.status} ${response.headers.get("location") ?? ""}`);
  });
  await timed("sign-out", async () => {
    const csrfToken = await session.csrfToken();
    const response = await session.request("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1" },
      body: new URLSearchParams({ csrfToken }),
    });
    await expectJson("sign-out", response, 200);
    if ((await session.sessionState()) !== null) throw new StepError("sign-out", "still signed in after sign-out");
  });
  return timings;
}

async function child(): Promise<number> {
  const db = options.db as DbChoice;
  const emulator = await startEmulator({ port: options.port + 1, dataDir: null });
  const control = new EmulatorControl(emulator.url);
  const server = await startAppServer({
    port: options.port,
    databasePrefix: "duo2fa_load",
    logFile: path.join(root, `test-results/load-${db}.log`),
    env: { TRUST_PROXY: "true", DUO_IKEY: emulator.ikey, DUO_SKEY: emulator.skey, DUO_HOST: emulator.url, DUO_FAILMODE: "closed" },
  });
  // Imported here: the generated client is the one prepared for this database.
  const { createPrismaClient } = await import("../lib/db/client");
  const prisma = createPrismaClient(server.databaseUrl);
  let exitCode = 1;
  try {
    console.log(`Server pid ${server.process.pid} on ${server.url}, database ${db} (${server.databaseUrl.replace(/\/\/[^@]*@/, "//")}).`);
    const passwordHash = await hashPassword(PASSWORD);
    const tag = randomBytes(3).toString("hex");
    const emails = Array.from({ length: options.users }, (_, i) => `load-${tag}-${i}@example.com`);
    const accounts = await seedTwoFactorAccounts(control, prisma, passwordHash, emails);
    const pid = server.process.pid ?? 0;
    const rssBefore = rssTree(pid);

    const tally: Tally = { passwordSteps: 0, completed: 0, samples: Object.fromEntries(STEPS.map((s) => [s, []])) as unknown as Record<Step, number[]>, errors: new Map() };
    const deadline = Date.now() + options.duration * 1000;
    const started = performance.now();
    await Promise.all(
      accounts.map(async (account, index) => {
        const clientIp = `10.${(index >> 8) & 255}.${index & 255}.7`;
        // A virtual user finishes the sign-in it started, so every one begun is counted either way.
        while (Date.now() < deadline) {
          try {
            const timings = await iteration(server.url, control, account, clientIp, tally);
            for (const step of STEPS) tally.samples[step].push(timings[step]);
          } catch (error) {
            const key = error instanceof StepError ? `${error.step}: ${error.message}` : String(error);
            tally.errors.set(key, (tally.errors.get(key) ?? 0) + 1);
          }
        }
      }),
    );
    const elapsedSeconds = (performance.now() - started) / 1000;
    const rssAfter = rssTree(pid);

    const signInRows = await prisma.authEvent.count({ where: { type: "sign-in", result: "success", method: "password" } });
    const secondFactorRows = await prisma.authEvent.count({ where: { type: "second-factor", result: "success", method: "push" } });
    const lostSignIns = tally.passwordSteps - signInRows;
    const lostSecondFactors = tally.completed - secondFactorRows;
    const errorCount = [...tally.errors.values()].reduce((a, b) => a + b, 0);

    console.log(`\nLoad on ${db}: ${options.users} users, ${round(elapsedSeconds, 1)} s`);
    console.log(`  full sign-ins completed: ${tally.completed} (${round(tally.completed / elapsedSeconds, 1)}/s); password steps: ${tally.passwordSteps}`);
    console.log(`  errors: ${errorCount}`);
    for (const [message, count] of tally.errors) console.log(`    ${count} × ${message}`);
    console.log(`  AuthEvent sign-in/success rows: ${signInRows} vs password steps ${tally.passwordSteps} (lost: ${lostSignIns})`);
    console.log(`  AuthEvent second-factor/success rows: ${secondFactorRows} vs sign-ins completed ${tally.completed} (lost: ${lostSecondFactors})`);
    console.log("  per step (ms):");
    console.table(
      Object.fromEntries(
        STEPS.map((step) => {
          const summary = summarize(tally.samples[step]);
          return [step, { n: summary.n, p50: round(summary.median, 1), p99: round(summary.p99, 1), max: round(summary.max, 1) }];
        }),
      ),
    );
    console.log(`  server RSS before: ${totalRssMiB(rssBefore)} MiB ${JSON.stringify(rssBefore)}`);
    console.log(`  server RSS after:  ${totalRssMiB(rssAfter)} MiB ${JSON.stringify(rssAfter)}`);
    exitCode = errorCount === 0 && lostSignIns === 0 && lostSecondFactors === 0 && tally.completed > 0 ? 0 : 1;
    console.log(exitCode === 0 ? `  PASS on ${db}` : `  FAIL on ${db}`);
  } finally {
    await prisma.$disconnect();
    await server.stop();
    await emulator.close();
  }
  return exitCode;
}

if (args.values.child) {
  child().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  process.exit(parent());
}
