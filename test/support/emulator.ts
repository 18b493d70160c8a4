/**
 * A Duo emulator for this test file, on an ephemeral port with its state in memory, and the app's Duo
 * settings pointed at it (as a deployment would point DUO_HOST at Duo).
 *
 *   const duo = withEmulator();   // at the top of a test file
 *   await duo.control.answer(txid, "approve");
 */
import { afterAll, beforeAll } from "vitest";
import type { Policy } from "@/lib/emulator/core/policy";
import { startEmulator, type RunningEmulator } from "@/lib/emulator/server";
import type { DuoClient } from "@/lib/duo/client";
import { EmulatorControl } from "./emulator-control";

export function withEmulator(policy: Partial<Policy> = {}): { readonly emulator: RunningEmulator; readonly control: EmulatorControl } {
  let emulator: RunningEmulator | undefined;
  let control: EmulatorControl | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, dataDir: null, policy });
    process.env.DUO_IKEY = emulator.ikey;
    process.env.DUO_SKEY = emulator.skey;
    process.env.DUO_HOST = emulator.url;
    // The app keeps one client per process; this file's must talk to this emulator.
    delete (globalThis as typeof globalThis & { __duoClient?: DuoClient }).__duoClient;
    control = new EmulatorControl(emulator.url);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  return {
    get emulator() {
      if (!emulator) throw new Error("withEmulator(): the emulator is ready only inside tests and hooks");
      return emulator;
    },
    get control() {
      if (!control) throw new Error("withEmulator(): the emulator is ready only inside tests and hooks");
      return control;
    },
  };
}
