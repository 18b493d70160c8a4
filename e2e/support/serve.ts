/**
 * The server the end-to-end tests talk to: the production build (`next start`, NODE_ENV=production) on a
 * database of its own, migrated with the production command (`npm run db:deploy`), with a fresh secret.
 * SQLite by default; PostgreSQL when DATABASE_URL points at a server. Everything it created is removed
 * when Playwright stops it. The server's output is kept in test-results/e2e-server.log.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { runPrisma } from "../../scripts/db/prisma-cli";
import { createEmptyDatabase } from "../../test/support/database";
import { E2E_PORT } from "./settings";

const root = path.resolve(import.meta.dirname, "../..");

async function main(): Promise<void> {
  const database = await createEmptyDatabase(process.env.DATABASE_URL, "duo2fa_e2e");
  runPrisma(["migrate", "deploy"], { env: { ...process.env, DATABASE_URL: database.url }, quiet: true });

  mkdirSync(path.join(root, "test-results"), { recursive: true });
  const logFile = createWriteStream(path.join(root, "test-results/e2e-server.log"));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: database.url,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    DATA_DIR: path.join(root, "test-results/data"),
    // Until the emulator runs here, a closed loopback port stands in for Duo.
    DUO_IKEY: "DIE2EE2EE2EE2EE2EE2E",
    DUO_SKEY: "e2e".repeat(14).slice(0, 40),
    DUO_HOST: "http://127.0.0.1:9",
  };
  const server = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(E2E_PORT)], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.pipe(logFile);
  server.stderr.pipe(logFile);
  server.stdout.pipe(process.stdout);
  server.stderr.pipe(process.stderr);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (server.exitCode === null && server.signalCode === null) {
      const exited = once(server, "exit");
      server.kill("SIGTERM");
      await exited;
    }
    await database.drop();
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
  server.on("exit", (code) => void stop(code ?? 1));
}

void main();
