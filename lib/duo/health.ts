/**
 * Is Duo usable from here? Calls /check (keys, signature, clock) and compares Duo's clock with ours,
 * because Duo refuses requests whose date is too far off (40105). For the app's health endpoint and its
 * startup check; bounded by a deadline so a rate limit or a hung network cannot hold the caller.
 */
import { deadlineSignal } from "../http/deadline";
import { type DuoClient } from "./client";
import { DuoTimeoutError, type DuoFailure } from "./errors";
import { explainDuoFailure, type DuoProblem } from "./explain";

/**
 * Beyond this the clock is reported as skewed. Duo's own window is unpublished (its mock allows 300 s);
 * a clock a minute off is already broken NTP and close enough to Duo's limit to warn about.
 */
export const CLOCK_SKEW_WARN_SECONDS = 60;
/** The whole health check, retries included, ends within this. */
export const DUO_HEALTH_DEADLINE_MS = 5_000;

export type DuoHealthVerdict =
  | "ok"
  /** Our clock differs from Duo's by more than CLOCK_SKEW_WARN_SECONDS, or Duo refused our date (40105). */
  | "clock-skewed"
  /** No connection, or no answer in time. */
  | "unreachable"
  /** Duo refused the keys or the signature (40101–40104). */
  | "bad-credentials"
  /** Keys of another application type, e.g. Admin API (40301). */
  | "wrong-integration-type"
  | "rate-limited"
  /** Any other failure: a Duo 5xx, or something not Duo answering. */
  | "unexpected";

export interface DuoHealth {
  verdict: DuoHealthVerdict;
  /** /check succeeded: Duo accepts our keys and date right now (it may still warn about the clock). */
  reachable: boolean;
  /** Duo's clock minus ours, in whole seconds (positive: our clock is behind). Null when unknown. */
  skewSeconds: number | null;
  roundTripMs: number | null;
  /** Where the client talks to, and whether it is the built-in emulator. */
  origin: string;
  emulator: boolean;
  problem: DuoProblem | null;
  error: DuoFailure | null;
}

export interface DuoHealthOptions {
  /** Our clock, in milliseconds since the epoch (injectable for tests). */
  now?: () => number;
  signal?: AbortSignal;
  deadlineMs?: number;
}

const AUTH_FAILURE_CODES = new Set([40101, 40102, 40103, 40104]);
const BAD_TIMESTAMP = 40105;
const WRONG_INTEGRATION = 40301;
const RATE_LIMITED = 42901;

export async function checkDuoHealth(client: DuoClient, options: DuoHealthOptions = {}): Promise<DuoHealth> {
  const now = options.now ?? Date.now;
  const deadlineMs = options.deadlineMs ?? DUO_HEALTH_DEADLINE_MS;
  // Left to end on its own (it tidies up when it fires): the ping below may still need it.
  const { signal } = deadlineSignal(deadlineMs, options.signal);
  const base = { origin: client.endpoint.origin, emulator: client.endpoint.loopback };

  const started = now();
  const check = await client.check({ signal, timeoutMs: deadlineMs });
  const finished = now();

  if (check.ok) {
    const skewSeconds = skew(check.value.time, started, finished);
    const skewed = Math.abs(skewSeconds) > CLOCK_SKEW_WARN_SECONDS;
    return {
      ...base,
      verdict: skewed ? "clock-skewed" : "ok",
      reachable: true,
      skewSeconds,
      roundTripMs: finished - started,
      problem: skewed ? skewProblem(skewSeconds) : null,
      error: null,
    };
  }

  // Our own deadline ending the wait reads as what it is: Duo did not answer in time.
  const error =
    check.error.kind === "aborted" && signal.aborted && !options.signal?.aborted
      ? new DuoTimeoutError(deadlineMs, { method: check.error.method, path: check.error.path })
      : check.error;
  const problem = explainDuoFailure(error, { emulator: base.emulator });
  const failed = { ...base, reachable: false, roundTripMs: null, error, problem };
  switch (error.kind) {
    case "network":
    case "timeout":
      return { ...failed, verdict: "unreachable", skewSeconds: null };
    case "aborted":
    case "protocol":
      return { ...failed, verdict: "unexpected", skewSeconds: null };
    case "api": {
      const code = error.numericCode;
      if (code === BAD_TIMESTAMP) {
        // /check refused our date; the unsigned /ping still tells us Duo's time.
        const pingStarted = now();
        const ping = await client.ping({ signal, timeoutMs: deadlineMs });
        const skewSeconds = ping.ok ? skew(ping.value.time, pingStarted, now()) : null;
        return { ...failed, verdict: "clock-skewed", skewSeconds, problem: skewSeconds === null ? problem : { ...problem, summary: `${problem.summary} ${skewProblem(skewSeconds).summary}` } };
      }
      if (code !== null && AUTH_FAILURE_CODES.has(code)) return { ...failed, verdict: "bad-credentials", skewSeconds: null };
      if (code === WRONG_INTEGRATION) return { ...failed, verdict: "wrong-integration-type", skewSeconds: null };
      if (code === RATE_LIMITED) return { ...failed, verdict: "rate-limited", skewSeconds: null };
      return { ...failed, verdict: "unexpected", skewSeconds: null };
    }
  }
}

/** Duo's whole-second time against the midpoint of our request, so the round trip does not count as skew. */
function skew(duoTimeSeconds: number, startedMs: number, finishedMs: number): number {
  return Math.round(duoTimeSeconds - (startedMs + finishedMs) / 2 / 1000);
}

function skewProblem(skewSeconds: number): DuoProblem {
  const direction = skewSeconds > 0 ? "behind" : "ahead of";
  return {
    summary: `This server's clock is ${Math.abs(skewSeconds)} s ${direction} Duo's.`,
    fix: "Synchronise the clock with NTP (for example `timedatectl set-ntp true`, or chrony/ntpd). Duo refuses requests whose date is too far off (40105).",
  };
}

/** Flat fields for the server log (lib/log.ts): no secrets, just what an operator needs. */
export function duoHealthLogFields(health: DuoHealth): Record<string, string | number | boolean | null> {
  return {
    verdict: health.verdict,
    origin: health.origin,
    emulator: health.emulator,
    skew_seconds: health.skewSeconds,
    round_trip_ms: health.roundTripMs,
    duo_code: health.error?.kind === "api" ? String(health.error.code) : null,
    problem: health.problem?.summary ?? null,
    fix: health.problem?.fix ?? null,
  };
}
