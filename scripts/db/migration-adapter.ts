/**
 * The driver adapter the Prisma CLI (JavaScript schema engine) migrates through. Prisma 6.19.3's JS engine
 * has known bugs with these adapters; each wrapper below gets past one of them (see TOOLCHAIN notes).
 * Only the CLI uses this file; the app's runtime client is lib/db/client.ts.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { databaseProvider, sqliteFilePath } from "../../lib/db/url";

// PostgreSQL type oids the engine cannot deserialize (prisma/prisma#27403), and the oid it can (text).
const PG_NAME_OID = 19;
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

export function migrationAdapterFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  return databaseProvider(url) === "sqlite" ? sqliteFactory(url) : postgresFactory(url);
}

function sqliteFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const file = sqliteFilePath(url);
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const inner = new PrismaBetterSQLite3({ url: file });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => runScriptsWhole(await inner.connect()),
    connectToShadowDb: async () => runScriptsWhole(await inner.connectToShadowDb()),
  };
}

/**
 * The engine sends whole migration scripts through executeRaw(), which both drivers run as one prepared
 * statement (P3006 "External error id#0"): send parameterless multi-statement SQL to executeScript().
 */
function runScriptsWhole(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query: SqlQuery): Promise<number> => {
    const body = query.sql.trim().replace(/;\s*$/, "");
    if (query.args.length === 0 && body.includes(";")) {
      await adapter.executeScript(query.sql);
      return 0;
    }
    return executeRaw(query);
  };
  return adapter;
}

function postgresFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const config = poolConfig(url);
  const inner = new PrismaPg(config);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => runScriptsWhole(reportNameAsText(await inner.connect())),
    // adapter-pg's own shadow database keeps the real database's connection string (so it would migrate the
    // real database) and drops the shadow before closing its pool; this one does neither.
    connectToShadowDb: async () => {
      const admin = new pg.Client(config);
      await admin.connect();
      const database = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
      await admin.query(`CREATE DATABASE "${database}"`);
      await admin.end();
      const shadow = new PrismaPg({ ...config, database }, {});
      const adapter = runScriptsWhole(reportNameAsText(await shadow.connect()));
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        const cleanup = new pg.Client(config);
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS "${database}"`);
        await cleanup.end();
      };
      return adapter;
    },
  };
}

/** Discrete fields rather than a connection string, so a copy with another `database` means what it says. */
function poolConfig(url: string): pg.PoolConfig {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
    ssl: sslFrom(parsed.searchParams.get("sslmode")),
  };
}

function sslFrom(mode: string | null): pg.PoolConfig["ssl"] {
  if (mode === null || mode === "disable") return undefined;
  return { rejectUnauthorized: mode === "verify-full" || mode === "verify-ca" };
}

/** Catalog columns of type `name` and `"char"` are reported as text, which the engine can read. */
function reportNameAsText<T extends SqlDriverAdapter | Transaction>(queryable: T): T {
  const withPerformIO = queryable as T & { performIO?: (q: SqlQuery) => Promise<pg.QueryResult> };
  const performIO = withPerformIO.performIO?.bind(queryable);
  if (performIO) {
    withPerformIO.performIO = async (query: SqlQuery) => {
      const result = await performIO(query);
      for (const field of result.fields) {
        if (field.dataTypeID === PG_NAME_OID || field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
      }
      return result;
    };
  }
  if ("startTransaction" in queryable) {
    const adapter = queryable as SqlDriverAdapter;
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => reportNameAsText(await startTransaction(isolationLevel));
  }
  return queryable;
}
