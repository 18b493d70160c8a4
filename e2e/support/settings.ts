import path from "node:path";

/**
 * The end-to-end servers. Each profile is the production build on its own port and database, with its
 * own Duo emulator (or, for the outage profiles, no Duo at all), for configurations that cannot share
 * a server. `localhost`, so that Chromium treats the origin as secure.
 */
/** The first port of the end-to-end servers; E2E_PORT_BASE moves them all (to run two suites side by side). */
const BASE = Number(process.env.E2E_PORT_BASE ?? 3210);

export const PROFILES = {
  main: { port: BASE, emulatorPort: BASE + 1, env: {}, emulatorPolicy: {} },
  /** REQUIRE_2FA (trust on first use), anonymous Duo usernames, and Duo's Verified Push policy. */
  policies: { port: BASE + 10, emulatorPort: BASE + 11, env: { REQUIRE_2FA: "true", DUO_ANONYMOUS_USERS: "true" }, emulatorPolicy: { verifiedPush: true } },
  /** Duo unreachable, DUO_FAILMODE=open. */
  failopen: { port: BASE + 20, emulatorPort: null, env: { DUO_FAILMODE: "open" }, emulatorPolicy: {} },
  /** Duo unreachable, DUO_FAILMODE=closed (the default). */
  failclosed: { port: BASE + 30, emulatorPort: null, env: { DUO_FAILMODE: "closed" }, emulatorPolicy: {} },
} as const satisfies Record<
  string,
  { port: number; emulatorPort: number | null; env: Record<string, string>; emulatorPolicy: Record<string, unknown> }
>;

export type ProfileName = keyof typeof PROFILES;

/**
 * Ports for servers a spec starts and stops itself (the fault specs: an emulator to stop, an app server to
 * restart, a database proxy to cut), clear of the profiles' ports.
 */
export const SPEC_PORT_BASE = BASE + 50;

export function baseUrl(profile: ProfileName): string {
  return `http://localhost:${PROFILES[profile].port}`;
}

export function emulatorUrl(profile: ProfileName): string | null {
  const port = PROFILES[profile].emulatorPort;
  return port === null ? null : `http://127.0.0.1:${port}`;
}

/** A closed loopback port: Duo "down" for the outage profiles. */
export const DEAD_DUO_URL = "http://127.0.0.1:9";

/** Where a profile's server writes what the tests need to know (its database URL). */
export function contextFile(profile: ProfileName): string {
  return path.resolve(import.meta.dirname, `../../test-results/e2e-${profile}.json`);
}

export const E2E_BASE_URL = baseUrl("main");
