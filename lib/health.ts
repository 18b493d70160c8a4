/** What the health endpoint reports. Each check is bounded, so a hung dependency cannot hang the probe. */
import { getDb } from "./db/client";

/** A health probe that takes longer than this reports the dependency as down. */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

export type CheckStatus = "ok" | "down";

export interface Health {
  status: CheckStatus;
  checks: { database: CheckStatus };
}

export async function checkHealth(): Promise<Health> {
  const database = await withinTimeout(getDb().$queryRaw`SELECT 1`);
  return { status: database, checks: { database } };
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
