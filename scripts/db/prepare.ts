/**
 * Makes the database layer ready for the configured DATABASE_URL: the provider's schema copy is current,
 * the generated client matches the provider, and the embedded SQLite default exists and is migrated.
 * Run by `npm install`, `npm run dev`, `npm run build` and `npm test`; safe to run again.
 *
 * PostgreSQL is never migrated from here: production applies migrations with `npm run db:deploy`.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { DEFAULT_DATABASE_URL, databaseProvider, sqliteFilePath, type DatabaseProvider } from "../../lib/db/url";
import { runPrisma } from "./prisma-cli";
import { syncSchemas } from "./schemas";

const root = path.resolve(import.meta.dirname, "../..");
const quiet = process.argv.includes("--quiet");
// What the generated client was made from: the provider's schema text, hashed.
const stampFile = path.join(root, "lib/db/generated/.schema-hash");

function say(message: string): void {
  if (!quiet) console.log(message);
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

  for (const file of syncSchemas({ check: false })) say(`wrote ${file}`);

  const hash = schemaHash(provider);
  if (generatedFrom() !== hash || !existsSync(path.join(root, "lib/db/generated/client.ts"))) {
    say(`Generating the Prisma client for ${provider}…`);
    runPrisma(["generate"], { quiet });
    writeFileSync(stampFile, `${hash}\n`);
  }

  // SQLite is the embedded database: it is created and kept migrated here, with no setup step.
  if (provider === "sqlite") {
    runPrisma(["migrate", "deploy"], { quiet });
    // WAL lets readers proceed while one request writes; the setting is kept in the file.
    const sqlite = new Database(sqliteFilePath(url));
    sqlite.pragma("journal_mode = WAL");
    sqlite.close();
  }
}

main();
