/**
 * The app's SQLite client runs the database in write-ahead-log mode, so a reader in another connection
 * (a test, a second server process, a backup) does not hold up the app's writes. With the default rollback
 * journal the write below waits for the reader's lock and fails after the busy timeout.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { databaseProvider, sqliteFilePath } from "@/lib/db/url";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";

const provider = databaseProvider(process.env.DATABASE_URL ?? "file:./x.db");
let database: TestDatabase;
const db = {} as { client: PrismaClient; url: string };
const cleanups: Array<() => void | Promise<void>> = [];

beforeAll(async () => {
  if (provider !== "sqlite") return;
  database = await createTestDatabase();
  // As `prisma migrate deploy` leaves it: the default rollback journal.
  const setup = new Database(sqliteFilePath(database.url));
  setup.pragma("journal_mode = DELETE");
  setup.close();
  db.url = database.url;
  db.client = createPrismaClient(database.url);
  cleanups.push(() => database.drop(), () => db.client.$disconnect());
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.runIf(provider === "sqlite")("SQLite write-ahead log", () => {
  it("the database file is in WAL mode once the app has connected", async () => {
    await db.client.user.count();
    const rows = await db.client.$queryRawUnsafe<Array<{ journal_mode: string }>>("PRAGMA journal_mode");
    expect(rows[0]?.journal_mode).toBe("wal");
  });

  it("a write commits while another connection holds an open read transaction", { timeout: 20_000 }, async () => {
    await db.client.user.create({ data: { email: "before@example.com", passwordHash: "x" } });
    const reader = new Database(sqliteFilePath(db.url), { readonly: true });
    cleanups.push(() => {
      if (reader.inTransaction) reader.exec("ROLLBACK");
      reader.close();
    });
    reader.exec("BEGIN");
    expect(reader.prepare("SELECT count(*) AS n FROM User").get()).toEqual({ n: 1 });

    await db.client.user.create({ data: { email: "during@example.com", passwordHash: "x" } });
    // The reader keeps its snapshot; the writer was not made to wait for it.
    expect(reader.prepare("SELECT count(*) AS n FROM User").get()).toEqual({ n: 1 });
    reader.exec("ROLLBACK");
    expect(await db.client.user.count()).toBe(2);
  });
});
