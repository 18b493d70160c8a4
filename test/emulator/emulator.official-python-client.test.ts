/**
 * Duo's official Python client (Debian's python3-duo-client 4.5.0, unmodified) completes check, enroll
 * and enroll_status, preauth, an async push with auth_status long-polls, and a sync push, against the
 * emulator, with each signature it can produce (v2 HMAC-SHA1, v2 HMAC-SHA512, v4).
 */
import { execFile, execFileSync } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../lib/emulator/server";
import { startTestEmulator } from "./helpers";

const run = promisify(execFile);
const SCRIPT = path.join(import.meta.dirname, "python", "duo_client_flow.py");
const INSTALL_HINT = "Duo's Python client is missing: apt-get install -y python3-duo-client";

/** Debian's package installs into the system Python, which a pyenv or venv python3 on PATH does not see. */
function pythonWithDuoClient(): string {
  for (const candidate of ["/usr/bin/python3", "python3"]) {
    try {
      execFileSync(candidate, ["-c", "import duo_client"], { stdio: "ignore" });
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(INSTALL_HINT);
}

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ policy: { longPollSeconds: 10 } });
});
afterAll(() => emulator.close());

describe.each(["v2-sha1", "v2-sha512", "v4"])("duo_client (Python) with %s", (variant) => {
  it("completes every flow", async () => {
    const python = pythonWithDuoClient();
    const { stdout } = await run(python, [SCRIPT, String(emulator.port), emulator.ikey, emulator.skey, emulator.controlUrl, variant], { timeout: 15_000 });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out.ping).toMatchObject({ time: expect.any(Number) });
    expect(out.check).toMatchObject({ time: expect.any(Number) });
    expect(out.enroll).toMatchObject({ username: `python-${variant}`, user_id: expect.stringMatching(/^DU/), activation_code: expect.stringMatching(/^duo:\/\//) });
    expect(out.status_before).toBe("waiting");
    expect(out.status_after).toBe("success");
    expect(out.preauth).toMatchObject({ result: "auth", status_msg: "Account is active" });
    expect(out.first_status).toEqual({ waiting: true, success: false, status: "pushed", status_msg: "Pushed a login request to your device..." });
    expect(out.final_status).toEqual({ waiting: false, success: true, status: "allow", status_msg: "Success. Logging you in..." });
    expect(out.sync_push).toEqual({ result: "deny", status: "deny", status_msg: "Login request denied." });
    expect(out.unknown_user).toEqual({ status: 400, data: { stat: "FAIL", code: 40002, message: "Invalid request parameters", message_detail: "username" } });
  });
});
