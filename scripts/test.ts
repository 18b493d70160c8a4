/**
 * `npm test`: the whole suite, in the order that fails fastest — schema copies, typecheck, lint, unit and
 * integration tests (Vitest, on real databases and emulators), the production build, then the browser
 * tests (Playwright in Chromium). Runs against SQLite by default; `DATABASE_URL=postgresql://… npm test`
 * runs the same suite against that PostgreSQL server (each test creates and drops its own database).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { databaseProvider } from "../lib/db/url";
import { chromiumExecutable } from "../e2e/support/chromium";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);

const steps: Array<[string, string, string[]]> = [
  ["schema copies", process.execPath, ["--import", "tsx", "scripts/db/schemas.ts", "--check"]],
  ["prisma client", process.execPath, ["--import", "tsx", "scripts/db/prepare.ts", "--quiet"]],
  ["typecheck", bin("tsc"), ["--noEmit"]],
  ["lint", bin("eslint"), ["--max-warnings", "0", "."]],
  ["unit and integration tests", bin("vitest"), ["run"]],
  ["production build", bin("next"), ["build"]],
  ["browser tests", bin("playwright"), ["test"]],
];

const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const provider = env.DATABASE_URL ? databaseProvider(env.DATABASE_URL) : "sqlite";
// Fail before the long steps, with one line, when there is no browser to run the last one.
chromiumExecutable();
console.log(`Running the suite on ${provider}.`);

const started = Date.now();
for (const [name, command, args] of steps) {
  const stepStart = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  const seconds = ((Date.now() - stepStart) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed after ${seconds} s (${provider}).`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${name} (${seconds} s)`);
}
console.log(`\nAll checks passed on ${provider} in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
