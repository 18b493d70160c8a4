/**
 * Playwright's `test`, with each test coming from its own client address: the end-to-end server trusts
 * X-Forwarded-For (as behind a proxy), so per-address rate limits apply per test, as for real users.
 */
import { randomInt } from "node:crypto";
import { test as base } from "@playwright/test";

export { expect } from "@playwright/test";

export function randomClientIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export const test = base.extend<{ clientIp: string }>({
  clientIp: async ({}, use) => {
    await use(randomClientIp());
  },
  extraHTTPHeaders: async ({ clientIp, extraHTTPHeaders }, use) => {
    await use({ ...extraHTTPHeaders, "x-forwarded-for": clientIp });
  },
});
