import { existsSync } from "node:fs";

/** Debian's Chromium, or the one PLAYWRIGHT_CHROMIUM_EXECUTABLE names. Playwright's own download is never used. */
export function chromiumExecutable(): string {
  const candidates = [process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE, "/usr/bin/chromium"].filter((c): c is string => Boolean(c));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found) return found;
  console.error(
    "No Chromium found: install Debian's (sudo apt-get install -y chromium) or set PLAYWRIGHT_CHROMIUM_EXECUTABLE to a Chromium binary.",
  );
  process.exit(1);
}

/** Flags for a closed network: without the background-networking ones Chromium floods it with lookups. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
