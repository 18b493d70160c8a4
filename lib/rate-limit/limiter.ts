/**
 * Rate limits on rate-limiter-flexible, stored in the app's database (the default) or in Redis when
 * REDIS_URL is set. They fail closed: if the store cannot answer, the action is refused, never waved
 * through.
 */
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { RateLimiterPrisma, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getConfig } from "../config/env";
import { getDb, type PrismaClient } from "../db/client";
import { log } from "../log";
import type { LimitRule } from "./limits";

/** How long a caller is told to wait when the store itself failed. */
const STORE_ERROR_RETRY_SECONDS = 60;
/** A Redis that does not answer within this is treated as down (and the limit as reached). */
const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/** `storeFailed`: refused because the store could not answer (not because the limit was reached). */
export type LimitOutcome = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number; storeFailed?: true };

export type LimiterStore = { kind: "database"; db: PrismaClient } | { kind: "redis"; client: Redis };

export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(private readonly store: LimiterStore) {}

  private limiter(rule: LimitRule): RateLimiterAbstract {
    let limiter = this.limiters.get(rule.name);
    if (!limiter) {
      const options = { keyPrefix: rule.name, points: rule.points, duration: rule.durationSeconds };
      limiter =
        this.store.kind === "redis"
          ? new RateLimiterRedis({ ...options, storeClient: this.store.client })
          : new RateLimiterPrisma({ ...options, storeClient: this.store.db, tableName: "rateLimiterFlexible" });
      this.limiters.set(rule.name, limiter);
    }
    return limiter;
  }

  /** Counts one action (or `points`) against the key; refuses once the window's points are spent. */
  async consume(rule: LimitRule, key: string, points = 1): Promise<LimitOutcome> {
    try {
      const result = await this.limiter(rule).consume(limitKey(key), points);
      return { allowed: true, remaining: result.remainingPoints };
    } catch (error) {
      return refused(rule, error);
    }
  }

  /** Whether the key still has points left, without spending one (for failure-only counters). */
  async peek(rule: LimitRule, key: string): Promise<LimitOutcome> {
    try {
      const result = await this.limiter(rule).get(limitKey(key));
      if (!result || result.consumedPoints < rule.points) return { allowed: true, remaining: rule.points - (result?.consumedPoints ?? 0) };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)) };
    } catch (error) {
      return refused(rule, error);
    }
  }

  /** Clears a key's count (a successful sign-in clears its failures). A store error is logged only. */
  async reset(rule: LimitRule, key: string): Promise<void> {
    try {
      await this.limiter(rule).delete(limitKey(key));
    } catch (error) {
      log.error("rate-limit.store-error", { rule: rule.name, operation: "reset", error: errorName(error) });
    }
  }
}

function refused(rule: LimitRule, error: unknown): LimitOutcome {
  // rate-limiter-flexible rejects with a RateLimiterRes when the limit is reached, with an Error when the
  // store failed. Both refuse: a limiter that cannot count must not let everything through.
  if (error instanceof RateLimiterRes) {
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
  }
  log.error("rate-limit.store-error", { rule: rule.name, error: errorName(error) });
  return { allowed: false, retryAfterSeconds: STORE_ERROR_RETRY_SECONDS, storeFailed: true };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** Keys are hashed: the store holds no email addresses or IPs in clear. */
function limitKey(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 32);
}

export function redisClient(url: string): Redis {
  const client = new Redis(url, {
    // A command waits for the connection at most this long, then fails, and the limit refuses.
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
  });
  // Connection errors surface as refused limits; the event only needs to be logged, not to crash.
  client.on("error", (error: Error) => log.warn("rate-limit.redis-error", { error: error.name }));
  return client;
}

const holder = globalThis as typeof globalThis & { __rateLimits?: RateLimits };

/** The app's rate limits, on Redis when REDIS_URL is set, else on the database. */
export function getRateLimits(): RateLimits {
  if (!holder.__rateLimits) {
    const { redisUrl } = getConfig();
    holder.__rateLimits = new RateLimits(redisUrl ? { kind: "redis", client: redisClient(redisUrl) } : { kind: "database", db: getDb() });
  }
  return holder.__rateLimits;
}
