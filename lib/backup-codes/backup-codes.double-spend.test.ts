/** 50 concurrent uses of one backup code: exactly one succeeds (compare-and-swap on usedAt). */
import { expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import { issueBackupCodes, spendBackupCode } from "./store";

const db = withTestDatabase();
const CONCURRENT_USES = 50;

it(`lets exactly one of ${CONCURRENT_USES} simultaneous uses of a code succeed`, async () => {
  const { id: userId } = await db.client.user.create({ data: { email: "double-spend@example.com", passwordHash: "x" } });
  const [code] = await issueBackupCodes(userId);
  const results = await Promise.all(Array.from({ length: CONCURRENT_USES }, () => spendBackupCode(userId, code ?? "")));
  expect(results.filter(Boolean)).toHaveLength(1);
  expect(await db.client.backupCode.count({ where: { userId, usedAt: { not: null } } })).toBe(1);
});
