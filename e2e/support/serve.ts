/**
 * One end-to-end server (Playwright's webServer), by profile (e2e/support/settings.ts): the production
 * build on a database of its own (scripts/support/app-server.ts), with the Duo emulator in this process
 * as its Duo — or a closed port for the outage profiles. It writes the database URL for the tests, and
 * keeps the server's output in test-results/e2e-<profile>.log.
 *
 *   tsx e2e/support/serve.ts main
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { startEmulator, type RunningEmulator } from "../../lib/emulator/server";
import { startAppServer } from "../../scripts/support/app-server";
import { contextFile, DEAD_DUO_URL, PROFILES, type ProfileName } from "./settings";

const root = path.resolve(import.meta.dirname, "../..");

async function main(): Promise<void> {
  const name = process.argv[2] as ProfileName;
  const profile = PROFILES[name];
  if (!profile) throw new Error(`unknown profile ${process.argv[2]}; one of ${Object.keys(PROFILES).join(", ")}`);

  const emulator: RunningEmulator | null =
    profile.emulatorPort === null ? null : await startEmulator({ port: profile.emulatorPort, dataDir: null, policy: profile.emulatorPolicy });
  const duo = emulator
    ? { DUO_IKEY: emulator.ikey, DUO_SKEY: emulator.skey, DUO_HOST: emulator.url }
    : { DUO_IKEY: "DIDEADDEADDEADDEADDE", DUO_SKEY: randomBytes(20).toString("hex"), DUO_HOST: DEAD_DUO_URL };
  // Chosen here rather than by startAppServer so that e2e/logs.no-secrets.spec.ts can look for it in the log.
  const authSecret = randomBytes(32).toString("base64");
  const server = await startAppServer({
    port: profile.port,
    echo: name === "main",
    logFile: path.join(root, `test-results/e2e-${name}.log`),
    databasePrefix: `duo2fa_e2e_${name}`,
    env: {
      // Tests pose as clients behind a proxy, each with its own address (e2e/support/test.ts).
      TRUST_PROXY: "true",
      AUTH_SECRET: authSecret,
      ...duo,
      ...profile.env,
    },
  });
  // The run's throwaway secrets go to the tests too, for the suite that checks they never reach the log.
  writeFileSync(contextFile(name), JSON.stringify({ databaseUrl: server.databaseUrl, secrets: { authSecret, duoSkey: duo.DUO_SKEY } }));

  const stop = async (code: number) => {
    await server.stop();
    await emulator?.close();
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
  server.process.on("exit", (code) => void stop(code ?? 1));
}

void main();
