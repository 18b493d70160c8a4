/**
 * The app's Duo client, and the app's reading of Duo failures: which ones are an outage (fail mode
 * decides), and which user Duo knows this account as.
 */
import { getConfig } from "../config/env";
import { createDuoClient, type DuoClient } from "../duo/client";
import type { DuoFailure } from "../duo/errors";
import type { DuoUser } from "../duo/requests";

/**
 * A user is waiting on every Duo call the app makes (except the status long-poll, which has its own
 * window): past this, 429 backoff included, the call is abandoned and treated as an outage.
 */
export const INTERACTIVE_DUO_DEADLINE_MS = 8_000;

const holder = globalThis as typeof globalThis & { __duoClient?: DuoClient };

export function getDuo(): DuoClient {
  holder.__duoClient ??= createDuoClient(getConfig().duo);
  return holder.__duoClient;
}

/** Options for a call a user is waiting on. */
export function interactive(): { signal: AbortSignal } {
  return { signal: AbortSignal.timeout(INTERACTIVE_DUO_DEADLINE_MS) };
}

/**
 * Duo unreachable or failing as a service: no answer, a garbled one, a 5xx, a rate limit we gave up on,
 * or refused credentials (our keys or clock are wrong, nothing the user can fix). DUO_FAILMODE decides
 * what happens then. A 400 (a parameter Duo refused) is not an outage.
 */
export function isOutage(failure: DuoFailure): boolean {
  if (failure.kind !== "api") return true;
  return failure.httpStatus >= 500 || failure.httpStatus === 401 || failure.httpStatus === 403 || failure.httpStatus === 429;
}

/** Who this account is at Duo: the permanent user_id once known, else the username it was enrolled as. */
export function duoUserOf(user: { duoUserId: string | null; duoUsername: string | null; email: string }): DuoUser {
  if (user.duoUserId) return { userId: user.duoUserId };
  return { username: user.duoUsername ?? user.email };
}
