/**
 * The app's configuration: one zod schema over the environment, read once at startup
 * (instrumentation.ts) and on first use. Unset values fall back to the embedded defaults (SQLite file,
 * a dev secret kept in the data folder, the built-in Duo emulator). In production a missing secret or
 * an invalid value stops startup with a message naming the variable.
 */
import path from "node:path";
import { z } from "zod";
import { DEFAULT_DATABASE_URL, databaseProvider, type DatabaseProvider } from "../db/url";
import { parseDuoHost, type DuoEndpoint } from "../duo/host";
import { emulatorKeys, emulatorPort, type Environment } from "../emulator/settings";
import { randomSecret, readOrCreateFile } from "./persisted-secret";

/** The README's configuration table lists these defaults; keep the two in step. */
export const DEFAULT_APP_NAME = "Duo 2FA Reference";
export const DEFAULT_DATA_DIR = "data";
export const DEFAULT_REMEMBER_BROWSER_DAYS = 30;
export const MAX_REMEMBER_BROWSER_DAYS = 365;
/** Auth.js signs sessions with this; 32 bytes is what `openssl rand -base64 32` (Auth.js's advice) gives. */
const MIN_AUTH_SECRET_LENGTH = 32;
const DEV_SECRET_BYTES = 32;

const flag = z
  .enum(["true", "false", "1", "0"], { error: 'must be "true" or "false"' })
  .transform((value) => value === "true" || value === "1");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  APP_NAME: z.string().trim().min(1).max(64).default(DEFAULT_APP_NAME),
  DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), {
      error: "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
    }),
  AUTH_SECRET: z
    .string()
    .min(MIN_AUTH_SECRET_LENGTH, { error: `must be at least ${MIN_AUTH_SECRET_LENGTH} characters` })
    .optional(),
  DUO_IKEY: z.string().regex(/^DI[A-Z0-9]{18}$/, { error: "must be a 20-character integration key starting DI" }).optional(),
  DUO_SKEY: z.string().min(40, { error: "must be the 40-character secret key" }).optional(),
  DUO_HOST: z.string().optional(),
  DUO_SIG_VERSION: z.enum(["2", "5"]).default("5"),
  DUO_FAILMODE: z.enum(["closed", "open"]).default("closed"),
  DUO_ANONYMOUS_USERS: flag.default(false),
  REQUIRE_2FA: flag.default(false),
  REMEMBER_BROWSER_DAYS: z.coerce.number().int().min(0).max(MAX_REMEMBER_BROWSER_DAYS).default(DEFAULT_REMEMBER_BROWSER_DAYS),
  TRUST_PROXY: flag.default(false),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: "must start with redis:// or rediss://" })
    .optional(),
});

export interface DuoConfig {
  /** "emulator" when the app talks to the built-in emulator (a loopback http:// host), else "duo". */
  mode: "emulator" | "duo";
  ikey: string;
  skey: string;
  endpoint: DuoEndpoint;
  sigVersion: 2 | 5;
  failMode: "closed" | "open";
  anonymousUsers: boolean;
}

export interface AppConfig {
  env: "development" | "production" | "test";
  isProduction: boolean;
  appName: string;
  dataDir: string;
  database: { url: string; provider: DatabaseProvider };
  authSecret: string;
  duo: DuoConfig;
  policy: { require2fa: boolean; rememberBrowserDays: number };
  trustProxy: boolean;
  redisUrl: string | null;
}

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Parses an environment into the app's configuration; throws ConfigError listing every problem. */
export function loadConfig(env: Environment = process.env): AppConfig {
  // An empty variable means "unset", as in most deployment dashboards.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`));
  }
  const vars = parsed.data;
  const isProduction = vars.NODE_ENV === "production";
  const dataDir = path.resolve(/* turbopackIgnore: true */ process.cwd(), vars.DATA_DIR);
  const problems: string[] = [];

  let authSecret = vars.AUTH_SECRET ?? "";
  if (!authSecret) {
    if (isProduction) {
      problems.push("AUTH_SECRET is required in production (generate one with: openssl rand -base64 32)");
    } else {
      authSecret = readOrCreateFile(path.join(dataDir, "dev-secret"), () => randomSecret(DEV_SECRET_BYTES));
    }
  }

  const duo = duoConfig(vars, env, isProduction, problems);
  if (problems.length > 0 || duo === null) throw new ConfigError(problems);

  return {
    env: vars.NODE_ENV,
    isProduction,
    appName: vars.APP_NAME,
    dataDir,
    database: { url: vars.DATABASE_URL, provider: databaseProvider(vars.DATABASE_URL) },
    authSecret,
    duo,
    policy: { require2fa: vars.REQUIRE_2FA, rememberBrowserDays: vars.REMEMBER_BROWSER_DAYS },
    trustProxy: vars.TRUST_PROXY,
    redisUrl: vars.REDIS_URL ?? null,
  };
}

function duoConfig(
  vars: z.infer<typeof envSchema>,
  env: Environment,
  isProduction: boolean,
  problems: string[],
): DuoConfig | null {
  const given = { DUO_IKEY: vars.DUO_IKEY, DUO_SKEY: vars.DUO_SKEY, DUO_HOST: vars.DUO_HOST };
  const missing = Object.entries(given)
    .filter(([, value]) => value === undefined)
    .map(([name]) => name);
  const common = {
    sigVersion: vars.DUO_SIG_VERSION === "2" ? 2 : 5,
    failMode: vars.DUO_FAILMODE,
    anonymousUsers: vars.DUO_ANONYMOUS_USERS,
  } as const;

  if (missing.length === 3) {
    if (isProduction) {
      problems.push(
        "DUO_IKEY, DUO_SKEY and DUO_HOST are required in production (from your Duo Auth API application; the built-in emulator is for development and tests)",
      );
      return null;
    }
    const keys = emulatorKeys(env);
    const host = parseDuoHost(`http://127.0.0.1:${emulatorPort(env)}`);
    if (!host.ok) throw new Error(`emulator address: ${host.reason}`);
    return { mode: "emulator", ...keys, endpoint: host.endpoint, ...common };
  }
  if (missing.length > 0) {
    problems.push(`${missing.join(", ")} must be set too: set all three Duo variables, or none for the emulator`);
    return null;
  }
  const host = parseDuoHost(vars.DUO_HOST ?? "");
  if (!host.ok) {
    problems.push(`DUO_HOST ${host.reason}`);
    return null;
  }
  return {
    mode: host.endpoint.loopback ? "emulator" : "duo",
    ikey: vars.DUO_IKEY ?? "",
    skey: vars.DUO_SKEY ?? "",
    endpoint: host.endpoint,
    ...common,
  };
}

let cached: AppConfig | undefined;

/** The process's configuration, parsed on first use. */
export function getConfig(): AppConfig {
  cached ??= loadConfig();
  return cached;
}
