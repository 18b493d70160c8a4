import type { NextRequest } from "next/server";
import { respondPassed } from "@/lib/auth/finish-challenge";
import { parseBody } from "@/lib/http/body";
import { deadlineSignal } from "@/lib/http/deadline";
import { jsonError, jsonOk } from "@/lib/http/response";
import type { StatusResponse } from "@/lib/mfa/api";
import { loadMfaRequest } from "@/lib/mfa/mfa-request";
import { emptySchema } from "@/lib/mfa/schemas";
import { MFA_STATUS_WINDOW_SECONDS, waitForAnswer } from "@/lib/mfa/second-factor";

/** Serverless platforms stop a function after this; the long-poll window ends well before. */
export const maxDuration = 30;

/**
 * Waits for the push or call in flight to be answered: answers as soon as Duo does, or after
 * MFA_STATUS_WINDOW_SECONDS with "waiting" (the page asks again at once). Nothing is kept in server memory
 * between requests: the transaction lives in the challenge row.
 */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, emptySchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadMfaRequest(request, "status");
  if (!loaded.ok) return jsonError(loaded.code);
  const { challenge, client } = loaded.context;
  if (challenge.verifiedAt) return respondPassed(challenge, client);

  const window = deadlineSignal(MFA_STATUS_WINDOW_SECONDS * 1000, request.signal);
  const view = await waitForAnswer(loaded.context, window.signal).finally(window.dispose);
  if (view.status === "passed") return respondPassed(challenge, client);
  return jsonOk(view satisfies StatusResponse);
}
