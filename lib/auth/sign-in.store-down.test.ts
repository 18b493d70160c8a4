/**
 * The password step when the rate-limit store cannot answer (Redis down): the limits still refuse (fail
 * closed), but the answer is SERVICE_UNAVAILABLE — not "too many attempts", not a wrong password — and
 * nothing is written: no challenge, no AuthEvent. Once the store answers, the same password signs in.
 */
import { afterAll, expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import { RateLimits, redisClient } from "../rate-limit/limiter";
import { createAccount, verifyPrimaryLogin } from "./accounts";

const db = withTestDatabase();
/** A loopback port nothing listens on (in this worktree's range): a Redis that is down. */
const DEAD_REDIS_URL = "redis://127.0.0.1:4398";
const client = { ip: "203.0.113.9", userAgent: "vitest" };
const PASSWORD = "tangerine glacier notebook";
const holder = globalThis as typeof globalThis & { __rateLimits?: RateLimits };

const dead = redisClient(DEAD_REDIS_URL);
afterAll(() => {
  dead.disconnect();
  delete holder.__rateLimits;
});

it("answers SERVICE_UNAVAILABLE and writes nothing while the limiter's store is down", async () => {
  const email = `store-down-${Date.now()}@example.com`;
  expect((await createAccount({ email, password: PASSWORD }, client)).ok).toBe(true);
  const user = await db.client.user.update({ where: { email }, data: { twoFactorEnabled: true } });
  const eventsBefore = await db.client.authEvent.count();

  holder.__rateLimits = new RateLimits({ kind: "redis", client: dead });
  expect(await verifyPrimaryLogin({ email, password: PASSWORD }, { client, rememberToken: null })).toEqual({ ok: false, code: "SERVICE_UNAVAILABLE" });
  expect(await verifyPrimaryLogin({ email, password: "not the password" }, { client, rememberToken: null })).toEqual({ ok: false, code: "SERVICE_UNAVAILABLE" });
  expect(await db.client.authEvent.count()).toBe(eventsBefore);
  expect(await db.client.mfaChallenge.count({ where: { userId: user.id } })).toBe(0);

  holder.__rateLimits = new RateLimits({ kind: "database", db: db.client });
  const back = await verifyPrimaryLogin({ email, password: PASSWORD }, { client, rememberToken: null });
  expect(back.ok && back.value.pending !== null).toBe(true);
});
