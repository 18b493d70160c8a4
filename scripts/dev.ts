/**
 * `npm run dev`: the embedded default in one command. Prepares the database (SQLite, created and migrated
 * on first run), creates the demo account, starts the Duo emulator beside Next.js when no real Duo keys
 * are configured, then runs `next dev`.
 */
import { spawn, execFileSync } from "node:child_process";
import path from "node:path";
import { ConfigError, loadConfig } from "../lib/config/env";
import { DEMO_EMAIL, DEMO_PASSWORD, demoAccountApplies, ensureDemoAccount } from "../lib/auth/demo-account";
import { EmulatorConfigError, emulatorOptionsFromEnv } from "../lib/emulator/config";
import { EmulatorStartError, startEmulator, type RunningEmulator } from "../lib/emulator/server";
import { emulatorKeys, emulatorPort } from "../lib/emulator/settings";

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
  // The emulator runs in this process only when no Duo variable is set at all; with DUO_HOST pointing at a
  // loopback emulator of one's own, that one is used instead.
  const embedded = config.duo.mode === "emulator" && !process.env.DUO_IKEY && !process.env.DUO_SKEY && !process.env.DUO_HOST;
  let emulator: RunningEmulator | null = null;
  if (embedded) {
    try {
      emulator = await startEmulator({ ...emulatorOptionsFromEnv(), port: emulatorPort(), ...emulatorKeys() });
    } catch (error) {
      if (error instanceof EmulatorConfigError || error instanceof EmulatorStartError) {
        console.error(`\n${error.message}\n`);
        process.exit(1);
      }
      throw error;
    }
  }
  lines.push(`  Duo:   ${config.duo.mode === "emulator" ? `built-in emulator at ${config.duo.endpoint.origin}` : config.duo.endpoint.origin}`);
  if (emulator) lines.push(`  Phone: ${emulator.phoneUrl}  (virtual Duo Mobile)`);
  console.log(`\n${lines.join("\n")}\n`);

  const next = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "dev", ...process.argv.slice(2)], {
    cwd: root,
    stdio: "inherit",
    env: process.env,
  });
  const stop = () => next.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  next.on("exit", (code) => {
    void (emulator?.close() ?? Promise.resolve()).finally(() => process.exit(code ?? 0));
  });
}

void main();
