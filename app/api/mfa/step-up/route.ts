import type { NextRequest } from "next/server";
import { readSessionClaims } from "@/lib/auth/session-claims";
import { getConfig } from "@/lib/config/env";
import { parseBody } from "@/lib/http/body";
import { clientInfo } from "@/lib/http/client-info";
import { jsonError, jsonOk } from "@/lib/http/response";
import type { OpenResponse } from "@/lib/mfa/api";
import { withChallengeCookie } from "@/lib/mfa/challenge-cookie-response";
import { mfaLimitRefusal } from "@/lib/mfa/mfa-request";
import { emptySchema } from "@/lib/mfa/schemas";
import { beginStepUp } from "@/lib/mfa/step-up";

/** Starts a step-up: a fresh second factor before a sensitive change. Answers the step's opening view. */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, emptySchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const claims = await readSessionClaims(request);
  if (!claims?.uid || claims.challengeId) return jsonError("UNAUTHENTICATED");
  const client = clientInfo(request.headers, getConfig().trustProxy);
  const refused = await mfaLimitRefusal("action", claims.uid, client);
  if (refused) return jsonError(refused);
  const result = await beginStepUp(claims.uid, client);
  if (!result.ok) return jsonError(result.code);
  const { view, challengeId } = result.value;
  const body: OpenResponse = view.status === "passed" ? { status: "passed", next: "done" } : view;
  return withChallengeCookie(jsonOk(body), challengeId);
}
