/**
 * The limits every second-factor route applies before it acts (lib/mfa/mfa-request.ts): per account and
 * per address for actions (sends, code checks, opening the step), per account for status polls, counted
 * in the real store, and closed when that store cannot answer.
 */
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import { LIMITS } from "../rate-limit/limits";
import { RateLimits, redisClient } from "../rate-limit/limiter";
import { mfaLimitRefusal } from "./mfa-request";

const db = withTestDatabase();
/** A loopback port nothing listens on: a Redis that is down. */
const DEAD_REDIS_URL = "redis://127.0.0.1:4397";
const holder = globalThis as typeof globalThis & { __rateLimits?: RateLimits };
const dead = redisClient(DEAD_REDIS_URL);

afterEach(() => {
  holder.__rateLimits = new RateLimits({ kind: "database", db: db.client });
});
afterAll(() => {
  dead.disconnect();
  delete holder.__rateLimits;
});

const account = () => `user-${randomBytes(6).toString("hex")}`;
const address = () => ({ ip: `10.${[...randomBytes(3)].join(".")}`, userAgent: "vitest" });

async function spend(kind: "action" | "status", times: number, userId: string, client: ReturnType<typeof address>) {
  const refusals = [];
  for (let i = 0; i < times; i++) refusals.push(await mfaLimitRefusal(kind, userId, client));
  return refusals;
}

it(`an account gets ${LIMITS.mfaActionsPerAccount.points} actions per window, from any address, then RATE_LIMITED`, async () => {
  holder.__rateLimits = new RateLimits({ kind: "database", db: db.client });
  const userId = account();
  const spread = await Promise.all(Array.from({ length: LIMITS.mfaActionsPerAccount.points }, () => mfaLimitRefusal("action", userId, address())));
  expect(spread.filter((refusal) => refusal === null)).toHaveLength(LIMITS.mfaActionsPerAccount.points);
  expect(await mfaLimitRefusal("action", userId, address())).toBe("RATE_LIMITED");
  expect(await mfaLimitRefusal("action", account(), address()), "another account is not held up").toBeNull();
});

it(`an address gets ${LIMITS.mfaActionsPerIp.points} actions per window across accounts, then RATE_LIMITED`, async () => {
  holder.__rateLimits = new RateLimits({ kind: "database", db: db.client });
  const from = address();
  const perAccount = 20;
  const accounts = Array.from({ length: LIMITS.mfaActionsPerIp.points / perAccount }, account);
  for (const userId of accounts) expect(await spend("action", perAccount, userId, from)).toEqual(Array(perAccount).fill(null));
  expect(await mfaLimitRefusal("action", account(), from), "a fresh account from the same address").toBe("RATE_LIMITED");
  expect(await mfaLimitRefusal("action", account(), address()), "another address").toBeNull();
});

it(`status polls have a budget of their own (${LIMITS.mfaStatusPerAccount.points} per account): waiting never spends the actions`, async () => {
  holder.__rateLimits = new RateLimits({ kind: "database", db: db.client });
  const userId = account();
  const from = address();
  const polls = await Promise.all(Array.from({ length: LIMITS.mfaStatusPerAccount.points }, () => mfaLimitRefusal("status", userId, from)));
  expect(polls.every((refusal) => refusal === null)).toBe(true);
  expect(await mfaLimitRefusal("status", userId, from)).toBe("RATE_LIMITED");
  expect(await mfaLimitRefusal("action", userId, from), "actions are counted apart").toBeNull();
});

it("with the limiter's store down, every kind is refused with SERVICE_UNAVAILABLE, and allowed again once it answers", async () => {
  const userId = account();
  const from = address();
  holder.__rateLimits = new RateLimits({ kind: "redis", client: dead });
  expect(await mfaLimitRefusal("action", userId, from)).toBe("SERVICE_UNAVAILABLE");
  expect(await mfaLimitRefusal("status", userId, from)).toBe("SERVICE_UNAVAILABLE");
  holder.__rateLimits = new RateLimits({ kind: "database", db: db.client });
  expect(await mfaLimitRefusal("action", userId, from)).toBeNull();
});
