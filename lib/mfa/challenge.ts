/**
 * Pending second factors. A challenge is created after a correct password (or before a sensitive change),
 * lives on the server, and is referenced from the session token by its random id alone.
 */
import { randomBytes } from "node:crypto";
import { getDb } from "../db/client";

/** How long the user has to finish the second factor after the password. */
export const CHALLENGE_TTL_SECONDS = 10 * 60;
/** 128 bits: the id is a bearer reference inside the (encrypted) session token. */
const CHALLENGE_ID_BYTES = 16;

export type ChallengePurpose = "sign-in" | "step-up";

export interface PendingChallenge {
  id: string;
  expiresAt: Date;
}

export async function createChallenge(userId: string, purpose: ChallengePurpose, now = new Date()): Promise<PendingChallenge> {
  const challenge = await getDb().mfaChallenge.create({
    data: {
      id: randomBytes(CHALLENGE_ID_BYTES).toString("base64url"),
      userId,
      purpose,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000),
    },
    select: { id: true, expiresAt: true },
  });
  return challenge;
}

/**
 * Marks a verified challenge consumed and reports whether this call did it. The guarded update is atomic:
 * of two concurrent upgrades with one challenge (a replay racing the original), exactly one succeeds.
 */
export async function consumeVerifiedChallenge(challengeId: string, userId: string, now = new Date()): Promise<boolean> {
  const { count } = await getDb().mfaChallenge.updateMany({
    where: {
      id: challengeId,
      userId,
      verifiedAt: { not: null },
      consumedAt: null,
      endedAt: null,
      expiresAt: { gt: now },
    },
    data: { consumedAt: now },
  });
  return count === 1;
}
