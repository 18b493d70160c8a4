/**
 * `npm run dev`: the embedded default in one command. Prepares the database (SQLite, created and migrated
 * on first run), creates the demo account, starts the Duo emulator beside Next.js when no real Duo keys
 * are configured, then runs `next dev`.
 */
import { spawn, execFileSync } from "node:child_process";
import path from "node:path";
import { ConfigError, loadConfig } from "../lib/config/env";
import { DEMO_EMAIL, DEMO_PASSWORD, demoAccountApplies, ensureDemoAccount } from "../lib/auth/demo-account";

const root = path.resolve(import.meta.dirname, "..");

async function main(): Promise<void> {
  execFileSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/db/prepare.ts")], { cwd: root, stdio: "inherit" });

  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`\n${error.message}\n\nSee the configuration table in README.md.`);
      process.exit(1);
    }
    throw error;
  }

  const lines = [`  App:   http://localhost:${process.env.PORT ?? 3000}`];
  if (demoAccountApplies(config)) {
    await ensureDemoAccount(config);
    lines.push(`  Demo:  ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
  }
  lines.push(`  Duo:   ${config.duo.mode === "emulator" ? `built-in emulator at ${config.duo.endpoint.origin}` : config.duo.endpoint.origin}`);
  console.log(`\n${lines.join("\n")}\n`);

  const next = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "dev", ...process.argv.slice(2)], {
    cwd: root,
    stdio: "inherit",
    env: process.env,
  });
  const stop = () => next.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  next.on("exit", (code) => process.exit(code ?? 0));
}

void main();
