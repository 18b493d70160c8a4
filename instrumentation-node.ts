/**
 * Server start-up on Node.js. The configuration is validated here, so a production server with a missing
 * secret or an invalid value stops at once with a message naming the variable, instead of failing on the
 * first request. Then Duo is checked (keys, signature, clock) and the result logged with the fix — in
 * the background: a Duo outage at boot must not stop the server (DUO_FAILMODE decides what it means).
 */
import { ConfigError, loadConfig } from "./lib/config/env";

export async function registerNode(): Promise<void> {
  try {
    loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`\n${error.message}\n\nSee the configuration table in README.md.\n`);
      process.exit(1);
    }
    throw error;
  }
  void reportDuoHealth();
}

async function reportDuoHealth(): Promise<void> {
  const [{ checkDuoHealth, duoHealthLogFields }, { getDuo }, { log }] = await Promise.all([
    import("./lib/duo/health"),
    import("./lib/mfa/duo-access"),
    import("./lib/log"),
  ]);
  const health = await checkDuoHealth(getDuo());
  if (health.verdict === "ok") log.info("duo.health", duoHealthLogFields(health));
  else log.warn("duo.health", duoHealthLogFields(health));
}
