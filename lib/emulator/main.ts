/**
 * `npm run emulator` runs the Duo Auth API emulator alone; `npm run emulator -- reset` empties its state
 * (through the running emulator if there is one, else by deleting its state file; the keys are kept, so
 * the app keeps working with them).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { EmulatorConfigError, emulatorOptionsFromEnv } from "./config";
import { STATE_FILE_NAME } from "./core/snapshot-file";
import { EmulatorStartError, startEmulator, type RunningEmulator } from "./server";
import { emulatorDataDir, emulatorPort } from "./settings";

/** How long `reset` waits for a running emulator before falling back to the file. */
const RESET_REQUEST_TIMEOUT_MS = 2_000;

const USAGE = `Usage: npm run emulator [-- reset | --help]

  (no argument)  run the Duo Auth API emulator (configure with DUO_EMULATOR_* variables; see README)
  reset          forget all users, devices and transactions (keys are kept)`;

export function banner(emulator: RunningEmulator): string {
  return [
    `  Duo emulator:   ${emulator.url}  (API host ${emulator.apiHost})`,
    `  Integration:    ikey ${emulator.ikey}${emulator.dataDir ? `, skey in ${path.join(emulator.dataDir, "keys.json")}` : ""}`,
    `  Virtual phone:  ${emulator.phoneUrl}`,
    `  Control API:    ${emulator.controlUrl}`,
  ].join("\n");
}

async function run(): Promise<void> {
  const emulator = await startEmulator({ ...emulatorOptionsFromEnv(), logRequests: true });
  console.log(`\n${banner(emulator)}\n  State:          ${emulator.dataDir ?? "memory only"}\n`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

async function reset(): Promise<void> {
  const url = `http://127.0.0.1:${emulatorPort()}/emulator/v1/reset`;
  try {
    const response = await fetch(url, { method: "POST", signal: AbortSignal.timeout(RESET_REQUEST_TIMEOUT_MS) });
    if (response.ok) {
      console.log(`Reset the running emulator at ${url.replace("/emulator/v1/reset", "")}.`);
      return;
    }
    console.error(`The process on that port answered ${response.status}; is it the emulator?`);
    process.exitCode = 1;
    return;
  } catch {
    // Nothing listening: reset the state on disk instead.
  }
  const file = path.join(emulatorDataDir(), STATE_FILE_NAME);
  rmSync(file, { force: true });
  console.log(`Removed ${file}. The emulator starts empty next time; its keys are unchanged.`);
}

async function main(): Promise<void> {
  const command = process.argv[2];
  try {
    if (command === undefined) return await run();
    if (command === "reset") return await reset();
    console.log(USAGE);
    if (command !== "--help" && command !== "-h") process.exitCode = 1;
  } catch (error) {
    if (error instanceof EmulatorConfigError || error instanceof EmulatorStartError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

void main();
