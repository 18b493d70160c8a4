/**
 * What the health endpoint reports: the database (required: without it nothing works) and Duo (reported,
 * but "degraded" rather than down: with DUO_FAILMODE and backup codes the app still serves sign-ins).
 * Each check is bounded, so a hung dependency cannot hang the probe.
 */
import { getDb } from "./db/client";
import { checkDuoHealth, type DuoHealth, type DuoHealthVerdict } from "./duo/health";
import { getDuo } from "./mfa/duo-access";

/** A health probe that takes longer than this reports the dependency as down. */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;
/** Probes come every few seconds; Duo is asked at most this often per server instance. */
export const DUO_HEALTH_CACHE_SECONDS = 30;

let lastDuoCheck: { at: number; result: Promise<DuoHealth> } | null = null;

function duoHealth(now = Date.now()): Promise<DuoHealth> {
  if (!lastDuoCheck || now - lastDuoCheck.at > DUO_HEALTH_CACHE_SECONDS * 1000) {
    lastDuoCheck = { at: now, result: checkDuoHealth(getDuo(), { deadlineMs: HEALTH_CHECK_TIMEOUT_MS }) };
  }
  return lastDuoCheck.result;
}

export type CheckStatus = "ok" | "down";

export interface Health {
  status: "ok" | "degraded" | "down";
  checks: { database: CheckStatus; duo: { verdict: DuoHealthVerdict; skewSeconds: number | null } };
}

export async function checkHealth(now = Date.now()): Promise<Health> {
  const [database, duo] = await Promise.all([withinTimeout(getDb().$queryRaw`SELECT 1`), duoHealth(now)]);
  const status = database === "down" ? "down" : duo.verdict === "ok" ? "ok" : "degraded";
  return { status, checks: { database, duo: { verdict: duo.verdict, skewSeconds: duo.skewSeconds } } };
}

async function withinTimeout(work: Promise<unknown>): Promise<CheckStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckStatus>((resolve) => {
    timer = setTimeout(() => resolve("down"), HEALTH_CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work.then((): CheckStatus => "ok", (): CheckStatus => "down"), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
