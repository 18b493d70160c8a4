/** The backup-code factor: one hash per check, each check under the challenge's attempt cap, spent once. */
import { spendBackupCode } from "../backup-codes/store";
import type { ClientInfo } from "../http/client-info";
import type { MfaChallenge } from "./challenge";
import { runCodeCheck, type CodeCheckResult } from "./code-check";

export async function verifyBackupCode(challenge: MfaChallenge, code: string, client: ClientInfo): Promise<CodeCheckResult> {
  return runCodeCheck(challenge, "backup-code", client, async () =>
    (await spendBackupCode(challenge.userId, code)) ? { verdict: "valid", device: null } : { verdict: "invalid", device: null },
  );
}
