import type { NextRequest } from "next/server";
import { upgradePendingSession } from "@/lib/auth/finish-challenge";
import { finishEnrollment } from "@/lib/enrollment/enrollment";
import { loadEnrollmentRequest } from "@/lib/enrollment/enrollment-request";
import { parseBody } from "@/lib/http/body";
import { jsonError, jsonOk } from "@/lib/http/response";
import { emptySchema } from "@/lib/mfa/schemas";

/** The user saved the backup codes: 2FA is on. During a sign-in, the session is upgraded too. */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, emptySchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadEnrollmentRequest(request);
  if (!loaded.ok) return jsonError(loaded.code);
  const result = await finishEnrollment(loaded.userId, loaded.client);
  if (!result.ok) return jsonError(result.code);
  if (loaded.signInChallenge) {
    const finished = await upgradePendingSession(loaded.signInChallenge, loaded.client);
    if (finished.next !== "done") return jsonError("CHALLENGE_EXPIRED");
  }
  return jsonOk({ next: "done" as const });
}
