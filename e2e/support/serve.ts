/**
 * The server the end-to-end tests talk to (Playwright's webServer): the production build on a database of
 * its own (scripts/support/app-server.ts). Its output is kept in test-results/e2e-server.log.
 */
import path from "node:path";
import { startAppServer } from "../../scripts/support/app-server";
import { E2E_PORT } from "./settings";

const root = path.resolve(import.meta.dirname, "../..");

async function main(): Promise<void> {
  const server = await startAppServer({
    port: E2E_PORT,
    echo: true,
    logFile: path.join(root, "test-results/e2e-server.log"),
    databasePrefix: "duo2fa_e2e",
    env: {
      // Tests pose as clients behind a proxy, each with its own address (e2e/support/test.ts).
      TRUST_PROXY: "true",
      // Until the emulator runs here, a closed loopback port stands in for Duo.
      DUO_IKEY: "DIE2EE2EE2EE2EE2EE2E",
      DUO_SKEY: "e2e".repeat(14).slice(0, 40),
      DUO_HOST: "http://127.0.0.1:9",
    },
  });
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  server.process.on("exit", (code) => {
    void server.stop().then(() => process.exit(code ?? 1));
  });
}

void main();
