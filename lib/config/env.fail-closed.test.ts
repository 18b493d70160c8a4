/** Configuration is validated at startup and fails closed, naming the variable at fault. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Environment } from "../emulator/settings";
import { ConfigError, loadConfig } from "./env";

const dataDir = mkdtempSync(path.join(tmpdir(), "duo2fa-config-"));
const base = { DATA_DIR: dataDir, DUO_EMULATOR_DATA: path.join(dataDir, "emu") } as Environment;
const production = {
  ...base,
  NODE_ENV: "production",
  AUTH_SECRET: "s".repeat(44),
  DUO_IKEY: "DIABCDEFGHIJKLMNOPQR",
  DUO_SKEY: "k".repeat(40),
  DUO_HOST: "api-12345678.duosecurity.com",
} as Environment;

function problems(env: Environment): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("runs on the embedded defaults with nothing set outside production", () => {
    const config = loadConfig({ ...base, NODE_ENV: "development" });
    expect(config.database).toEqual({ url: "file:./data/app.db", provider: "sqlite" });
    expect(config.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.duo).toMatchObject({ mode: "emulator", sigVersion: 5, failMode: "closed" });
    expect(config.duo.endpoint.origin).toBe("http://127.0.0.1:3100");
    expect(config.policy).toEqual({ require2fa: false, rememberBrowserDays: 30 });
  });

  it("keeps the generated dev secret across restarts", () => {
    expect(loadConfig({ ...base }).authSecret).toBe(loadConfig({ ...base }).authSecret);
  });

  it("accepts a complete production configuration", () => {
    const config = loadConfig(production);
    expect(config.isProduction).toBe(true);
    expect(config.duo).toMatchObject({ mode: "duo", ikey: "DIABCDEFGHIJKLMNOPQR" });
    expect(config.duo.endpoint).toEqual({ origin: "https://api-12345678.duosecurity.com", signedHost: "api-12345678.duosecurity.com", loopback: false });
  });

  it("stops production without AUTH_SECRET", () => {
    expect(problems({ ...production, AUTH_SECRET: undefined })).toEqual([expect.stringContaining("AUTH_SECRET is required in production")]);
  });

  it("treats an empty variable as unset", () => {
    expect(problems({ ...production, AUTH_SECRET: "" })).toEqual([expect.stringContaining("AUTH_SECRET")]);
  });

  it("stops production without Duo keys: the emulator is not for production", () => {
    expect(problems({ ...production, DUO_IKEY: undefined, DUO_SKEY: undefined, DUO_HOST: undefined })).toEqual([
      expect.stringContaining("DUO_IKEY, DUO_SKEY and DUO_HOST are required in production"),
    ]);
  });

  it("names the Duo variables missing from a partial set", () => {
    expect(problems({ ...production, DUO_SKEY: undefined })).toEqual([expect.stringContaining("DUO_SKEY must be set too")]);
  });

  it.each([
    ["AUTH_SECRET", "too-short"],
    ["DUO_IKEY", "not-a-key"],
    ["DUO_FAILMODE", "sometimes"],
    ["REQUIRE_2FA", "yes"],
    ["REMEMBER_BROWSER_DAYS", "-1"],
    ["REMEMBER_BROWSER_DAYS", "thirty"],
    ["DATABASE_URL", "mysql://localhost/app"],
    ["REDIS_URL", "http://localhost:6379"],
    ["DUO_SIG_VERSION", "4"],
  ])("refuses %s=%j and names it", (name, value) => {
    expect(problems({ ...production, [name]: value })).toEqual([expect.stringMatching(new RegExp(`^${name}\\b`))]);
  });

  it("refuses plain http:// to a Duo host that is not loopback", () => {
    expect(problems({ ...production, DUO_HOST: "http://api-12345678.duosecurity.com" })).toEqual([
      expect.stringContaining("DUO_HOST uses plain http://"),
    ]);
  });

  it("accepts plain http:// to a loopback emulator, and calls that emulator mode", () => {
    const config = loadConfig({ ...production, DUO_HOST: "http://127.0.0.1:3999" });
    expect(config.duo).toMatchObject({ mode: "emulator", endpoint: { origin: "http://127.0.0.1:3999", signedHost: "127.0.0.1", loopback: true } });
  });
});
