/**
 * Rate limits hold across server instances (they live in the database or in Redis) and fail closed: when
 * the store cannot answer, the action is refused.
 */
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db/client";
import { createEmptyDatabase, withTestDatabase } from "@/test/support/database";
import { RateLimits, redisClient } from "./limiter";
import type { LimitRule } from "./limits";

const db = withTestDatabase();
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const rule = (points: number): LimitRule => ({ name: `test-${randomBytes(4).toString("hex")}`, points, durationSeconds: 60 });

const redisClients: Array<ReturnType<typeof redisClient>> = [];
afterAll(() => {
  for (const client of redisClients) client.disconnect();
});

function limitsOn(kind: "database" | "redis"): RateLimits {
  if (kind === "database") return new RateLimits({ kind: "database", db: db.client });
  const client = redisClient(REDIS_URL);
  redisClients.push(client);
  return new RateLimits({ kind: "redis", client });
}

describe.each(["database", "redis"] as const)("on the %s", (kind) => {
  const make = () => limitsOn(kind);

  it("allows the window's points, then refuses with a wait", async () => {
    const limits = make();
    const limit = rule(3);
    for (let i = 0; i < 3; i++) expect(await limits.consume(limit, "k")).toMatchObject({ allowed: true });
    const refused = await limits.consume(limit, "k");
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(await limits.consume(limit, "other key")).toMatchObject({ allowed: true });
  });

  it("counts across instances sharing the store", async () => {
    const first = make();
    const second = make();
    const limit = rule(4);
    for (const limits of [first, second, first, second]) expect((await limits.consume(limit, "shared")).allowed).toBe(true);
    expect((await first.consume(limit, "shared")).allowed).toBe(false);
    expect((await second.consume(limit, "shared")).allowed).toBe(false);
  });

  it("counts every one of many concurrent attempts", async () => {
    const limits = make();
    const limit = rule(5);
    const results = await Promise.all(Array.from({ length: 20 }, () => limits.consume(limit, "burst")));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
  });

  it("peeks without spending, and resets", async () => {
    const limits = make();
    const limit = rule(2);
    expect(await limits.peek(limit, "p")).toMatchObject({ allowed: true, remaining: 2 });
    await limits.consume(limit, "p");
    await limits.consume(limit, "p");
    expect((await limits.peek(limit, "p")).allowed).toBe(false);
    await limits.reset(limit, "p");
    expect(await limits.peek(limit, "p")).toMatchObject({ allowed: true });
  });
});

describe("when the store fails", () => {
  it("refuses on a database that cannot be reached", async () => {
    const gone = await createEmptyDatabase(process.env.DATABASE_URL, "duo2fa_gone");
    await gone.drop();
    const broken = createPrismaClient(gone.url.startsWith("file:") ? "file:/nonexistent/dir/limits.db" : gone.url);
    const limits = new RateLimits({ kind: "database", db: broken });
    const outcome = await limits.consume(rule(100), "k");
    expect(outcome).toEqual({ allowed: false, retryAfterSeconds: 60, storeFailed: true });
    expect((await limits.peek(rule(100), "k")).allowed).toBe(false);
    await broken.$disconnect().catch(() => undefined);
  });

  it("refuses on a Redis that does not answer", async () => {
    const dead = redisClient("redis://127.0.0.1:1");
    redisClients.push(dead);
    const limits = new RateLimits({ kind: "redis", client: dead });
    expect(await limits.consume(rule(100), "k")).toEqual({ allowed: false, retryAfterSeconds: 60, storeFailed: true });
  });
});
