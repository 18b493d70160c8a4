import type { NextRequest } from "next/server";
import { respondPassed } from "@/lib/auth/finish-challenge";
import { errorBody, errorStatus } from "@/lib/errors";
import { parseBody } from "@/lib/http/body";
import { jsonError } from "@/lib/http/response";
import { verifyCode } from "@/lib/mfa/actions";
import type { CodeFailureResponse } from "@/lib/mfa/api";
import { loadMfaRequest } from "@/lib/mfa/mfa-request";
import { verifySchema } from "@/lib/mfa/schemas";
import { NextResponse } from "next/server";

/** Checks a passcode (Duo Mobile, SMS, hardware token) or a backup code. */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, verifySchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadMfaRequest(request, "action");
  if (!loaded.ok) return jsonError(loaded.code);
  const { challenge, client } = loaded.context;
  if (challenge.verifiedAt) return respondPassed(challenge, client);

  const result = await verifyCode(loaded.context, input.value);
  if (result.ok || result.code === "PASSED") return respondPassed(challenge, client);
  const body: CodeFailureResponse = { ...errorBody(result.code), attemptsLeft: result.attemptsLeft };
  return NextResponse.json(body, { status: errorStatus(result.code), headers: { "Cache-Control": "no-store" } });
}
