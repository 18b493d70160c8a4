/** Everything the database holds about one account, to prove that a refused request changed nothing. */
import type { PrismaClient } from "../../lib/db/client";

export async function accountSnapshot(db: PrismaClient, email: string): Promise<string> {
  const user = await db.user.findUnique({ where: { email } });
  if (!user) return JSON.stringify({ email, user: null });
  const where = { where: { userId: user.id } };
  const [backupCodes, trustedBrowsers, challenges, enrollments, events] = await Promise.all([
    db.backupCode.findMany({ ...where, orderBy: { id: "asc" } }),
    db.trustedBrowser.findMany({ ...where, orderBy: { id: "asc" } }),
    db.mfaChallenge.findMany({ ...where, orderBy: { id: "asc" } }),
    db.duoEnrollment.findMany({ ...where, orderBy: { id: "asc" } }),
    db.authEvent.findMany({ ...where, orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ user, backupCodes, trustedBrowsers, challenges, enrollments, events });
}
