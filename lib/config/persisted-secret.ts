import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Reads a value generated once and kept in the git-ignored data folder (the dev session secret, the
 * emulator's keys). Two processes starting together agree: the file is created exclusively, and the loser
 * of the race reads the winner's value.
 */
export function readOrCreateFile(file: string, create: () => string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const value = create();
  try {
    writeFileSync(file, `${value}\n`, { flag: "wx", mode: 0o600 });
    return value;
  } catch (error) {
    if (isAlreadyExists(error)) return readFileSync(file, "utf8").trim();
    throw error;
  }
}

export function randomSecret(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "EEXIST";
}
