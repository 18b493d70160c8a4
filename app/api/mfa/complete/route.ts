import type { NextRequest } from "next/server";
import { respondPassed } from "@/lib/auth/finish-challenge";
import { parseBody } from "@/lib/http/body";
import { jsonError } from "@/lib/http/response";
import { loadMfaRequest } from "@/lib/mfa/mfa-request";
import { emptySchema } from "@/lib/mfa/schemas";

/** Completes a challenge that passed without a user action (Duo said allow, or fail-open). */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, emptySchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadMfaRequest(request, "action");
  if (!loaded.ok) return jsonError(loaded.code);
  const { challenge, client } = loaded.context;
  if (!challenge.verifiedAt) return jsonError("MFA_REQUIRED");
  return respondPassed(challenge, client);
}
