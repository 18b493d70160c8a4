/**
 * HTTP 429 backoff exactly as Duo's official clients do it (shared/duo-auth-api.md §2.3): wait 1 s, then
 * 2, 4, 8, 16, 32 s, each plus 0–1 s of jitter, and give up once the next wait would exceed 32 s — at
 * most 7 attempts. Like duo_unix, a `Retry-After` header (seconds or an HTTP date) replaces the computed
 * wait, and a Retry-After beyond the cap gives up at once rather than holding the caller longer.
 */
import { parseRequestDate } from "./signing";

export const INITIAL_BACKOFF_SECONDS = 1;
export const BACKOFF_FACTOR = 2;
/** The official clients' cap; Java calls it useMaxBackoffMs (32000). 0 disables retries. */
export const MAX_BACKOFF_SECONDS = 32;
/** Jitter is uniform in [0, MAX_JITTER_MS) — Python's random.uniform(0, 1) second. */
export const MAX_JITTER_MS = 1_000;

export type BackoffDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * What to do after the attempt that waited `waitSeconds` (1 for the first) got a 429.
 * `random` returns a number in [0, 1) as Math.random does.
 */
export function backoffAfter429(
  waitSeconds: number,
  retryAfterMs: number | null,
  random: () => number,
  maxBackoffSeconds: number = MAX_BACKOFF_SECONDS,
): BackoffDecision {
  if (waitSeconds > maxBackoffSeconds) return { retry: false };
  if (retryAfterMs !== null) {
    return retryAfterMs > maxBackoffSeconds * 1000 ? { retry: false } : { retry: true, delayMs: retryAfterMs };
  }
  const jitter = Math.min(Math.max(random(), 0), 1) * MAX_JITTER_MS;
  return { retry: true, delayMs: waitSeconds * 1000 + jitter };
}

/**
 * A `Retry-After` value in milliseconds from now: delta-seconds (`"7"`) or an HTTP date
 * (`"Wed, 21 Oct 2015 07:28:00 GMT"`). Null when absent or unreadable, so the computed backoff applies.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = parseRequestDate(trimmed);
  if (!date) return null;
  return Math.max(0, date.getTime() - nowMs);
}
