/**
 * Makes the database layer ready for the configured DATABASE_URL: the provider's schema copy is current,
 * the generated client matches the provider, and the embedded SQLite default exists and is migrated.
 * Run by `npm install`, `npm run dev`, `npm run build` and `npm test`; safe to run again.
 *
 * PostgreSQL is never migrated from here: production applies migrations with `npm run db:deploy`.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_DATABASE_URL, databaseProvider, type DatabaseProvider } from "../../lib/db/url";

const root = path.resolve(import.meta.dirname, "../..");
const quiet = process.argv.includes("--quiet");
// What the generated client was made from: the provider's schema text, hashed.
const stampFile = path.join(root, "lib/db/generated/.schema-hash");

function say(message: string): void {
  if (!quiet) console.log(message);
}

export function prisma(args: string[], env: NodeJS.ProcessEnv = process.env): void {
  execFileSync(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), ...args], {
    cwd: root,
    env: { ...env, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: quiet ? "pipe" : "inherit",
  });
}

function schemaHash(provider: DatabaseProvider): string {
  const schema = readFileSync(path.join(root, "prisma", provider, "schema.prisma"));
  return createHash("sha256").update(schema).digest("hex");
}

function generatedFrom(): string | null {
  try {
    return readFileSync(stampFile, "utf8").trim();
  } catch {
    return null;
  }
}

function main(): void {
  const url = (process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL);
  const provider = databaseProvider(url);

  execFileSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/db/schemas.ts")], {
    cwd: root,
    stdio: quiet ? "pipe" : "inherit",
  });

  const hash = schemaHash(provider);
  if (generatedFrom() !== hash || !existsSync(path.join(root, "lib/db/generated/client.ts"))) {
    say(`Generating the Prisma client for ${provider}…`);
    prisma(["generate"]);
    writeFileSync(stampFile, `${hash}\n`);
  }

  // SQLite is the embedded database: it is created and kept migrated here, with no setup step.
  if (provider === "sqlite") {
    prisma(["migrate", "deploy"]);
  }
}

main();
