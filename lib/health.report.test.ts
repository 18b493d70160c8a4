/** The health endpoint's report: the database decides up or down; a Duo problem only degrades. */
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import { withEmulator } from "@/test/support/emulator";
import { checkHealth, DUO_HEALTH_CACHE_SECONDS } from "./health";

withTestDatabase();
const duo = withEmulator();

describe("health", () => {
  it("is ok with the database and Duo answering, and measures the clock skew", async () => {
    const health = await checkHealth();
    expect(health).toMatchObject({ status: "ok", checks: { database: "ok", duo: { verdict: "ok" } } });
    expect(Math.abs(health.checks.duo.skewSeconds ?? 99)).toBeLessThanOrEqual(1);
  });

  it("asks Duo at most once per cache period, then again", async () => {
    const start = Date.now();
    await checkHealth(start + 60_000);
    await duo.emulator.close();
    expect((await checkHealth(start + 60_000 + 1_000)).checks.duo.verdict).toBe("ok");
    const later = await checkHealth(start + 60_000 + (DUO_HEALTH_CACHE_SECONDS + 1) * 1000);
    expect(later).toMatchObject({ status: "degraded", checks: { database: "ok", duo: { verdict: "unreachable" } } });
  });
});
