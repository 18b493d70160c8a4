/**
 * The server the end-to-end tests talk to (Playwright's webServer): the production build on a database of
 * its own (scripts/support/app-server.ts), with the Duo emulator in this process as its Duo. It writes
 * the database URL for the tests, and keeps the server's output in test-results/e2e-server.log.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { startEmulator } from "../../lib/emulator/server";
import { startAppServer } from "../../scripts/support/app-server";
import { E2E_CONTEXT_FILE, E2E_EMULATOR_PORT, E2E_PORT } from "./settings";

const root = path.resolve(import.meta.dirname, "../..");

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: E2E_EMULATOR_PORT, dataDir: null });
  const server = await startAppServer({
    port: E2E_PORT,
    echo: true,
    logFile: path.join(root, "test-results/e2e-server.log"),
    databasePrefix: "duo2fa_e2e",
    env: {
      // Tests pose as clients behind a proxy, each with its own address (e2e/support/test.ts).
      TRUST_PROXY: "true",
      DUO_IKEY: emulator.ikey,
      DUO_SKEY: emulator.skey,
      DUO_HOST: emulator.url,
    },
  });
  writeFileSync(E2E_CONTEXT_FILE, JSON.stringify({ databaseUrl: server.databaseUrl }));

  const stop = async (code: number) => {
    await server.stop();
    await emulator.close();
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
  server.process.on("exit", (code) => void stop(code ?? 1));
}

void main();
