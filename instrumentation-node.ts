/**
 * Server start-up on Node.js. The configuration is validated here, so a production server with a missing
 * secret or an invalid value stops at once with a message naming the variable, instead of failing on the
 * first request.
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
}
