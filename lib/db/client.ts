/**
 * The app's Prisma client, on the driver adapter that DATABASE_URL picks. The generated client is
 * provider-specific: `npm run db:prepare` (run by install, dev, build and test) regenerates it when the
 * provider changes.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
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
    databaseProvider(url) === "sqlite"
      ? new PrismaBetterSQLite3({ url: sqliteFilePath(url), timeout: SQLITE_BUSY_TIMEOUT_MS })
      : new PrismaPg({ connectionString: url, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}

// One client per process; kept on globalThis so that dev-server reloads don't open a new pool each time.
const holder = globalThis as typeof globalThis & { __prisma?: PrismaClient };

export function getDb(): PrismaClient {
  holder.__prisma ??= createPrismaClient(getConfig().database.url);
  return holder.__prisma;
}
