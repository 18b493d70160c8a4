import type { NextRequest } from "next/server";
import { parseBody } from "@/lib/http/body";
import { jsonError, jsonOk } from "@/lib/http/response";
import { rememberChoice } from "@/lib/mfa/actions";
import { loadMfaRequest } from "@/lib/mfa/mfa-request";
import { rememberSchema } from "@/lib/mfa/schemas";

/** The "Don't ask again on this browser" checkbox, changed while a push or call is waiting. */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, rememberSchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadMfaRequest(request, "status");
  if (!loaded.ok) return jsonError(loaded.code);
  await rememberChoice(loaded.context, input.value.remember);
  return jsonOk({ remember: input.value.remember });
}
