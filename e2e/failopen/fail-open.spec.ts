/** DUO_FAILMODE=open with Duo unreachable: the password alone signs in, loudly (log line and audit event). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { accountWithTwoFactor, signIn } from "../support/accounts";
import { expect, test } from "../support/test";

test("with Duo down, a 2FA account signs in after its password, and it is recorded", async ({ page, duo, db }) => {
  const { email, password } = await accountWithTwoFactor(page, duo, "failopen");

  await page.goto("/account");
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/account$/);

  const user = await db.user.findUniqueOrThrow({ where: { email } });
  await expect
    .poll(() => db.authEvent.count({ where: { userId: user.id, type: "second-factor", method: "failopen", result: "skipped" } }))
    .toBe(1);
  const log = readFileSync(path.resolve(import.meta.dirname, "../../test-results/e2e-failopen.log"), "utf8");
  expect(log).toMatch(/mfa\.failopen.*second factor SKIPPED because Duo is unavailable/);
});
