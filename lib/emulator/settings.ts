import { randomInt } from "node:crypto";
import path from "node:path";
import { readOrCreateFile } from "../config/persisted-secret";

/** Environment variables as read here: a plain record, so tests can pass their own. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Where the emulator listens unless DUO_EMULATOR_PORT says otherwise. */
export const DEFAULT_EMULATOR_PORT = 3100;
export const DEFAULT_EMULATOR_DATA_DIR = "data/duo-emulator";

const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SECRET_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/** Duo's formats: a 20-character integration key starting "DI", a 40-character secret key. */
const IKEY_LENGTH = 20;
const SKEY_LENGTH = 40;

export interface EmulatorKeys {
  ikey: string;
  skey: string;
}

export function emulatorDataDir(env: Environment = process.env): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), env.DUO_EMULATOR_DATA || DEFAULT_EMULATOR_DATA_DIR);
}

export function emulatorPort(env: Environment = process.env): number {
  const raw = env.DUO_EMULATOR_PORT;
  if (!raw) return DEFAULT_EMULATOR_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`DUO_EMULATOR_PORT must be a port number (1-65535), got "${raw}".`);
  }
  return port;
}

/**
 * The emulator's integration keys: DUO_EMULATOR_IKEY / DUO_EMULATOR_SKEY when set, otherwise generated once
 * and kept in its data folder, so the app (which reads the same file) and the emulator always agree.
 */
export function emulatorKeys(env: Environment = process.env): EmulatorKeys {
  if (env.DUO_EMULATOR_IKEY && env.DUO_EMULATOR_SKEY) {
    return { ikey: env.DUO_EMULATOR_IKEY, skey: env.DUO_EMULATOR_SKEY };
  }
  const stored = readOrCreateFile(path.join(emulatorDataDir(env), "keys.json"), () =>
    JSON.stringify({
      ikey: `DI${randomString(KEY_ALPHABET, IKEY_LENGTH - 2)}`,
      skey: randomString(SECRET_ALPHABET, SKEY_LENGTH),
    }),
  );
  const parsed: unknown = JSON.parse(stored);
  if (!isKeys(parsed)) throw new Error(`${emulatorDataDir(env)}/keys.json is damaged; delete it to regenerate.`);
  return {
    ikey: env.DUO_EMULATOR_IKEY || parsed.ikey,
    skey: env.DUO_EMULATOR_SKEY || parsed.skey,
  };
}

function isKeys(value: unknown): value is EmulatorKeys {
  return (
    typeof value === "object" &&
    value !== null &&
    "ikey" in value &&
    "skey" in value &&
    typeof value.ikey === "string" &&
    typeof value.skey === "string"
  );
}

function randomString(alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}
