/** DUO_EMULATOR_* variables: documented defaults when unset, values when set, every problem listed. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EmulatorConfigError, emulatorOptionsFromEnv } from "../../lib/emulator/config";
import { DEFAULT_POLICY } from "../../lib/emulator/core/policy";

const dataDir = () => mkdtempSync(path.join(tmpdir(), "duo-emulator-env-"));
const variables = (vars: Record<string, string>): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...vars });

describe("emulatorOptionsFromEnv", () => {
  it("uses the documented defaults when nothing is set, with keys generated once in the data folder", () => {
    const env = variables({ DUO_EMULATOR_DATA: dataDir() });
    const options = emulatorOptionsFromEnv(env);
    expect(options).toMatchObject({ listenHost: "127.0.0.1", port: 3100, clockSkewSeconds: 300, dataDir: env.DUO_EMULATOR_DATA, policy: DEFAULT_POLICY });
    expect(options.policy).toMatchObject({ pushTimeoutSeconds: 60, callTimeoutSeconds: 60, newUserPolicy: "enroll", lockoutThreshold: 10 });
    expect(options.ikey).toMatch(/^DI[A-Z0-9]{18}$/);
    expect(emulatorOptionsFromEnv(env).skey).toBe(options.skey);
  });

  it("reads every variable", () => {
    const options = emulatorOptionsFromEnv(
      variables({
        DUO_EMULATOR_DATA: dataDir(),
        DUO_EMULATOR_PORT: "3456",
        DUO_EMULATOR_LISTEN_HOST: "::1",
        DUO_EMULATOR_API_HOST: "api-emulator.duosecurity.com",
        DUO_EMULATOR_IKEY: "DIABCDEFGHIJKLMNOPQR",
        DUO_EMULATOR_SKEY: "s".repeat(40),
        DUO_EMULATOR_CLOCK_SKEW_SECONDS: "120",
        DUO_EMULATOR_PUSH_TIMEOUT_SECONDS: "30",
        DUO_EMULATOR_CALL_TIMEOUT_SECONDS: "45",
        DUO_EMULATOR_LONG_POLL_SECONDS: "10",
        DUO_EMULATOR_NEW_USER_POLICY: "deny",
        DUO_EMULATOR_REMEMBERED_DEVICES: "on",
        DUO_EMULATOR_REMEMBERED_DEVICE_SECONDS: "3600",
        DUO_EMULATOR_VERIFIED_PUSH: "true",
        DUO_EMULATOR_VERIFIED_PUSH_DIGITS: "6",
        DUO_EMULATOR_LOCKOUT_THRESHOLD: "3",
        DUO_EMULATOR_SMS_BATCH_SIZE: "5",
      }),
    );
    expect(options).toMatchObject({
      port: 3456,
      listenHost: "::1",
      apiHost: "api-emulator.duosecurity.com",
      ikey: "DIABCDEFGHIJKLMNOPQR",
      skey: "s".repeat(40),
      clockSkewSeconds: 120,
      policy: {
        pushTimeoutSeconds: 30,
        callTimeoutSeconds: 45,
        longPollSeconds: 10,
        newUserPolicy: "deny",
        rememberedDevices: true,
        rememberedDeviceSeconds: 3600,
        verifiedPush: true,
        verifiedPushDigits: 6,
        lockoutThreshold: 3,
        smsBatchSize: 5,
      },
    });
  });

  it("lists every bad value at once", () => {
    const read = () =>
      emulatorOptionsFromEnv(
        variables({
          DUO_EMULATOR_DATA: dataDir(),
          DUO_EMULATOR_PORT: "99999",
          DUO_EMULATOR_NEW_USER_POLICY: "sometimes",
          DUO_EMULATOR_VERIFIED_PUSH: "maybe",
          DUO_EMULATOR_PUSH_TIMEOUT_SECONDS: "-1",
        }),
      );
    expect(read).toThrow(EmulatorConfigError);
    try {
      read();
    } catch (error) {
      const problems = (error as EmulatorConfigError).problems.join("\n");
      for (const name of ["DUO_EMULATOR_PORT", "DUO_EMULATOR_NEW_USER_POLICY", "DUO_EMULATOR_VERIFIED_PUSH", "DUO_EMULATOR_PUSH_TIMEOUT_SECONDS"]) {
        expect(problems).toContain(name);
      }
    }
  });
});
