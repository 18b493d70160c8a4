/**
 * A database that went away is told apart from every other database error: on PostgreSQL by cutting the
 * connection for real (a TCP proxy the test closes), on SQLite by another process holding the write lock
 * past the busy timeout. Ordinary errors (a unique violation) are not "unavailable".
 */
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { databaseProvider, sqliteFilePath } from "@/lib/db/url";
import { startTcpProxy, throughProxy, type TcpProxy } from "@/test/support/tcp-proxy";
import { withTestDatabase } from "@/test/support/database";
import { isDatabaseUnavailable } from "./unavailable";

const db = withTestDatabase();
const provider = databaseProvider(process.env.DATABASE_URL ?? "file:./x.db");
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error("expected the database call to fail");
}

it("a unique violation is an ordinary error", async () => {
  await db.client.user.create({ data: { email: "one@example.com", passwordHash: "x" } });
  const error = await rejection(db.client.user.create({ data: { email: "one@example.com", passwordHash: "x" } }));
  expect(isDatabaseUnavailable(error)).toBe(false);
  expect(isDatabaseUnavailable(new Error("Unique constraint failed"))).toBe(false);
});

describe.runIf(provider === "postgres")("PostgreSQL cut off", () => {
  let proxy: TcpProxy;
  let client: PrismaClient;

  it("works through the proxy, then every query fails as unavailable once it is cut, and recovers", async () => {
    const target = new URL(db.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    client = createPrismaClient(throughProxy(db.url, proxy));
    cleanups.push(async () => {
      await client.$disconnect();
      await proxy.close();
    });
    expect(await client.user.count()).toBeGreaterThanOrEqual(0);

    await proxy.cut();
    // The first query meets the reset pooled connection, the next a refused new one: both are outages.
    for (let i = 0; i < 2; i++) {
      const error = await rejection(client.user.findUnique({ where: { email: "one@example.com" } }));
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    }

    await proxy.restore();
    expect(await client.user.count()).toBeGreaterThanOrEqual(1);
  });
});

describe.runIf(provider === "sqlite")("SQLite locked by another writer", () => {
  it("a write that waits past the busy timeout fails as unavailable", { timeout: 20_000 }, async () => {
    const holder = new Database(sqliteFilePath(db.url));
    cleanups.push(async () => {
      if (holder.inTransaction) holder.exec("ROLLBACK");
      holder.close();
    });
    holder.exec("BEGIN EXCLUSIVE");
    const error = await rejection(db.client.user.create({ data: { email: "two@example.com", passwordHash: "x" } }));
    expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    holder.exec("ROLLBACK");
    await db.client.user.create({ data: { email: "two@example.com", passwordHash: "x" } });
  });
});
