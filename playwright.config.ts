import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutable } from "./e2e/support/chromium";
import { baseUrl, PROFILES, type ProfileName } from "./e2e/support/settings";

const profiles = Object.keys(PROFILES) as ProfileName[];

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  // Two cores here: the servers, the emulators and the browser share them.
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: "chromium",
    launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
    trace: "retain-on-failure",
  },
  // One project per server profile; tests of a profile live in e2e/<profile>/ (main: e2e/*.spec.ts).
  projects: profiles.map((profile) => ({
    name: profile,
    testMatch: profile === "main" ? "*.spec.ts" : `${profile}/**/*.spec.ts`,
    testIgnore: profile === "main" ? profiles.filter((p) => p !== "main").map((p) => `${p}/**`) : [],
    use: { baseURL: baseUrl(profile), profile },
  })),
  // Builds nothing: `npm test` (scripts/test.ts) runs `next build` first.
  webServer: profiles.map((profile) => ({
    command: `tsx e2e/support/serve.ts ${profile}`,
    url: `${baseUrl(profile)}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: profile === "main" ? ("pipe" as const) : ("ignore" as const),
    stderr: "pipe" as const,
  })),
});
