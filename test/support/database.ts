/**
 * A fresh database per test file, on the provider DATABASE_URL picks (SQLite by default; PostgreSQL when
 * the suite runs with DATABASE_URL=postgresql://…). Migrations are applied from the committed SQL files,
 * so every run also proves that they build the schema. The database is dropped afterwards.
 *
 *   const db = withTestDatabase();   // at the top of a test file
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { databaseProvider } from "@/lib/db/url";

const root = path.resolve(import.meta.dirname, "../..");

function migrationScripts(provider: "sqlite" | "postgres"): string[] {
  const dir = path.join(root, "prisma", provider, "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates a new, empty database; `serverUrl` is any URL on the PostgreSQL server to use (else SQLite). */
export async function createEmptyDatabase(serverUrl = process.env.DATABASE_URL ?? "", prefix = "duo2fa_test"): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  if (serverUrl && databaseProvider(serverUrl) === "postgres") {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        const cleanup = new pg.Client({ connectionString: serverUrl });
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await cleanup.end();
      },
    };
  }
  const file = path.join(tmpdir(), `${name}.db`);
  return {
    url: `file:${file}`,
    async drop() {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true });
    },
  };
}

/** Creates a new database and applies the committed migration scripts to it. */
export async function createTestDatabase(serverUrl = process.env.DATABASE_URL ?? ""): Promise<TestDatabase> {
  const database = await createEmptyDatabase(serverUrl);
  if (databaseProvider(database.url) === "postgres") {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    for (const script of migrationScripts("postgres")) await client.query(script);
    await client.end();
  } else {
    const sqlite = new Database(database.url.slice("file:".length));
    sqlite.pragma("journal_mode = WAL");
    for (const script of migrationScripts("sqlite")) sqlite.exec(script);
    sqlite.close();
  }
  return database;
}

/**
 * Gives this test file its own database and makes it the app's (lib/db/client.ts's getDb()).
 * Returns a handle whose `client` is available once beforeAll has run.
 */
export function withTestDatabase(): { readonly client: PrismaClient; readonly url: string } {
  let database: TestDatabase | undefined;
  let client: PrismaClient | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    process.env.DATABASE_URL = database.url;
    client = createPrismaClient(database.url);
    (globalThis as typeof globalThis & { __prisma?: PrismaClient }).__prisma = client;
  });
  afterAll(async () => {
    await client?.$disconnect();
    await database?.drop();
  });
  return {
    get client() {
      if (!client) throw new Error("withTestDatabase(): the database is ready only inside tests and hooks");
      return client;
    },
    get url() {
      if (!database) throw new Error("withTestDatabase(): the database is ready only inside tests and hooks");
      return database.url;
    },
  };
}
