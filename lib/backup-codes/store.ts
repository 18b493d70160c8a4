/** Backup codes in the database: issue a new set, check and spend one, count what is left. */
import { getDb } from "../db/client";
import { generateCodes, hashSecret, parseCode, verifySecret } from "./codes";

/**
 * Replaces every code of the user with a fresh set and returns the new codes for showing once.
 * Old and new never coexist: the delete and the inserts are one transaction.
 */
export async function issueBackupCodes(userId: string): Promise<string[]> {
  const codes = generateCodes();
  const rows = await Promise.all(codes.map(async (code) => ({ userId, lookup: code.lookup, secretHash: await hashSecret(code.secret) })));
  const db = getDb();
  await db.$transaction([db.backupCode.deleteMany({ where: { userId } }), db.backupCode.createMany({ data: rows })]);
  return codes.map((code) => code.display);
}

export async function countRemainingBackupCodes(userId: string): Promise<number> {
  return getDb().backupCode.count({ where: { userId, usedAt: null } });
}

export async function deleteBackupCodes(userId: string): Promise<void> {
  await getDb().backupCode.deleteMany({ where: { userId } });
}

/**
 * Checks a code and spends it. One indexed read and one hash, whatever the user has. The spend is a
 * compare-and-swap on `usedAt`: of two concurrent requests with the same code, exactly one succeeds.
 */
export async function spendBackupCode(userId: string, input: string, now = new Date()): Promise<boolean> {
  const parsed = parseCode(input);
  if (!parsed) return false;
  const db = getDb();
  const row = await db.backupCode.findUnique({ where: { userId_lookup: { userId, lookup: parsed.lookup } } });
  if (!row || row.usedAt !== null) return false;
  if (!(await verifySecret(parsed.secret, row.secretHash))) return false;
  const { count } = await db.backupCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  return count === 1;
}
