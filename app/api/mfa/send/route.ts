import type { NextRequest } from "next/server";
import { respondPassed } from "@/lib/auth/finish-challenge";
import { parseBody } from "@/lib/http/body";
import { jsonError, jsonOk } from "@/lib/http/response";
import { sendFactor } from "@/lib/mfa/actions";
import type { SendResponse } from "@/lib/mfa/api";
import { loadMfaRequest } from "@/lib/mfa/mfa-request";
import { sendSchema } from "@/lib/mfa/schemas";

/** Sends a Duo Push, places a phone call, or sends SMS passcodes to one of the user's devices. */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, sendSchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadMfaRequest(request, "action");
  if (!loaded.ok) return jsonError(loaded.code);
  const { challenge, client } = loaded.context;
  if (challenge.verifiedAt) return respondPassed(challenge, client);

  const result = await sendFactor(loaded.context, input.value);
  if (result.ok) {
    return jsonOk({ status: result.status, verificationCode: result.verificationCode, smsNextcode: result.smsNextcode, limits: result.limits } satisfies SendResponse);
  }
  if (result.code === "PASSED") return respondPassed(challenge, client);
  return jsonError(result.code);
}
