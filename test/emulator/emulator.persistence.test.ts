/**
 * State survives a restart (one JSON snapshot in the data folder, written atomically), pending pushes
 * keep their deadlines, a damaged file is set aside, and reset — over the control API or with
 * `npm run emulator -- reset` — empties it while keeping the keys.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { control, duoRequest, okResponse, startTestEmulator } from "./helpers";

const run = promisify(execFile);
const freshDir = () => mkdtempSync(path.join(tmpdir(), "duo-emulator-state-"));

describe("persistence", () => {
  it("keeps keys, users, devices, HOTP counters, enrollments and pending pushes across a restart", async () => {
    const dataDir = freshDir();
    const first = await startTestEmulator({ dataDir, persistDebounceMs: 5 });
    const enrolled = okResponse<{ user_id: string; activation_code: string }>(await duoRequest(first, "POST", "/auth/v2/enroll", { username: "keeper" }));
    const device = ((await control(first, "POST", "/activations", { activation_code: enrolled.activation_code })).json as { device: string }).device;
    const used = ((await control(first, "GET", `/devices/${device}/passcode`)).json as { passcode: string }).passcode;
    okResponse(await duoRequest(first, "POST", "/auth/v2/auth", { username: "keeper", factor: "passcode", passcode: used }));
    const { txid } = okResponse<{ txid: string }>(await duoRequest(first, "POST", "/auth/v2/auth", { username: "keeper", factor: "push", device: "auto", async: "1" }));
    const keys = { ikey: first.ikey, skey: first.skey };
    await first.close();
    expect(existsSync(path.join(dataDir, "state.json"))).toBe(true);
    expect(readdirSync(dataDir).filter((name) => name.endsWith(".tmp"))).toEqual([]);

    const second = await startTestEmulator({ dataDir });
    try {
      expect({ ikey: second.ikey, skey: second.skey }).toEqual(keys);
      expect(okResponse(await duoRequest(second, "POST", "/auth/v2/enroll_status", { user_id: enrolled.user_id, activation_code: enrolled.activation_code }))).toBe("success");
      expect(okResponse(await duoRequest(second, "POST", "/auth/v2/auth", { username: "keeper", factor: "passcode", passcode: used }))).toMatchObject({ result: "deny" });
      expect(okResponse(await duoRequest(second, "GET", "/auth/v2/auth_status", { txid }))).toMatchObject({ result: "waiting", status: "pushed" });
      await control(second, "POST", `/transactions/${txid}`, { answer: "approve" });
      expect(okResponse(await duoRequest(second, "GET", "/auth/v2/auth_status", { txid }))).toMatchObject({ result: "allow" });
      const next = ((await control(second, "GET", `/devices/${device}/passcode`)).json as { passcode: string }).passcode;
      expect(okResponse(await duoRequest(second, "POST", "/auth/v2/auth", { username: "keeper", factor: "passcode", passcode: next }))).toMatchObject({ result: "allow" });
    } finally {
      await second.close();
    }
  });

  it("a push still pending when the emulator stopped times out on schedule after the restart", async () => {
    const dataDir = freshDir();
    const first = await startTestEmulator({ dataDir, policy: { pushTimeoutSeconds: 0.3 } });
    await control(first, "POST", "/users", { username: "late", devices: [{ type: "phone" }] });
    const { txid } = okResponse<{ txid: string }>(await duoRequest(first, "POST", "/auth/v2/auth", { username: "late", factor: "push", device: "auto", async: "1" }));
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const second = await startTestEmulator({ dataDir });
    try {
      expect(okResponse(await duoRequest(second, "GET", "/auth/v2/auth_status", { txid }))).toMatchObject({ result: "deny", status: "timeout" });
    } finally {
      await second.close();
    }
  });

  it("sets a damaged state file aside and starts empty", async () => {
    const dataDir = freshDir();
    writeFileSync(path.join(dataDir, "state.json"), "{ not json");
    const emulator = await startTestEmulator({ dataDir });
    try {
      expect((await control(emulator, "GET", "/users/anyone")).status).toBe(404);
      expect(readdirSync(dataDir).some((name) => name.startsWith("state.json.damaged-"))).toBe(true);
    } finally {
      await emulator.close();
    }
  });

  it("reset over the control API is written to disk at once", async () => {
    const dataDir = freshDir();
    const emulator = await startTestEmulator({ dataDir });
    await control(emulator, "POST", "/users", { username: "gone-soon" });
    await control(emulator, "POST", "/reset");
    const onDisk = JSON.parse(readFileSync(path.join(dataDir, "state.json"), "utf8")) as { users: unknown[] };
    expect(onDisk.users).toEqual([]);
    await emulator.close();
  });

  it("`npm run emulator -- reset` resets a running emulator, or removes the state file when none runs", async () => {
    const dataDir = freshDir();
    const emulator = await startTestEmulator({ dataDir, persistDebounceMs: 5 });
    await control(emulator, "POST", "/users", { username: "cli" });
    const tsx = path.resolve("node_modules/.bin/tsx");
    const env = { ...process.env, DUO_EMULATOR_DATA: dataDir, DUO_EMULATOR_PORT: String(emulator.port) };
    const live = await run(tsx, ["lib/emulator/main.ts", "reset"], { env });
    expect(live.stdout).toContain("Reset the running emulator");
    expect((await control(emulator, "GET", "/users/cli")).status).toBe(404);

    await control(emulator, "POST", "/users", { username: "cli-again" });
    await emulator.close();
    expect(existsSync(path.join(dataDir, "state.json"))).toBe(true);
    // Port 1: nothing listens there, and no other test's emulator can have taken it meanwhile.
    const offline = await run(tsx, ["lib/emulator/main.ts", "reset"], { env: { ...env, DUO_EMULATOR_PORT: "1" } });
    expect(offline.stdout).toContain("Removed");
    expect(existsSync(path.join(dataDir, "state.json"))).toBe(false);
    expect(existsSync(path.join(dataDir, "keys.json"))).toBe(true);
  });
});
