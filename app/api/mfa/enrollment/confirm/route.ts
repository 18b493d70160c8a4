import type { NextRequest } from "next/server";
import { beginConfirmation } from "@/lib/enrollment/confirmation";
import { loadEnrollmentRequest } from "@/lib/enrollment/enrollment-request";
import { parseBody } from "@/lib/http/body";
import { jsonError, jsonOk } from "@/lib/http/response";
import type { OpenResponse } from "@/lib/mfa/api";
import { withChallengeCookie } from "@/lib/mfa/challenge-cookie-response";
import { emptySchema } from "@/lib/mfa/schemas";

/** The activated device's first authentication: answers the second-factor step's opening view. */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, emptySchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadEnrollmentRequest(request);
  if (!loaded.ok) return jsonError(loaded.code);
  const result = await beginConfirmation(loaded.userId, loaded.client, loaded.signInChallenge);
  if (!result.ok) return jsonError(result.code);
  const { view, newChallengeId } = result.value;
  const body: OpenResponse = view.status === "passed" ? { status: "passed", next: "backup-codes" } : view;
  const response = jsonOk(body);
  return newChallengeId ? withChallengeCookie(response, newChallengeId) : response;
}
