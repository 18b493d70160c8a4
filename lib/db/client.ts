/**
 * The app's Prisma client, on the driver adapter that DATABASE_URL picks. The generated client is
 * provider-specific: `npm run db:prepare` (run by install, dev, build and test) regenerates it when the
 * provider changes.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { getConfig } from "../config/env";
import { PrismaClient } from "./generated/client";
import { databaseProvider, sqliteFilePath } from "./url";

export type { PrismaClient } from "./generated/client";
export { Prisma } from "./generated/client";

/** How long a SQLite write waits for another writer (another process on the same file) before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/**
 * How long a PostgreSQL query waits for a connection (a new one, or a free one from the pool) before
 * failing. Without it a database that stops answering holds every request forever.
 */
const PG_CONNECT_TIMEOUT_MS = 10_000;

export function createPrismaClient(url: string): PrismaClient {
  const adapter =
    databaseProvider(url) === "sqlite" ? sqliteAdapter(url) : new PrismaPg({ connectionString: url, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}

/**
 * SQLite in write-ahead-log mode: a commit appends to the log instead of writing a rollback journal and
 * the database (fewer syncs per write), and readers (the tests, a second server, a backup) no longer block
 * the writer. The mode is stored in the file; setting it again is a no-op. Its price: migrations need the
 * file to itself (README, Databases).
 */
function sqliteAdapter(url: string): SqlDriverAdapterFactory {
  const inner = new PrismaBetterSQLite3({ url: sqliteFilePath(url), timeout: SQLITE_BUSY_TIMEOUT_MS });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => {
      const adapter = await inner.connect();
      await adapter.executeScript("PRAGMA journal_mode = WAL");
      return adapter;
    },
  };
}

// One client per process; kept on globalThis so that dev-server reloads don't open a new pool each time.
const holder = globalThis as typeof globalThis & { __prisma?: PrismaClient };

export function getDb(): PrismaClient {
  holder.__prisma ??= createPrismaClient(getConfig().database.url);
  return holder.__prisma;
}
