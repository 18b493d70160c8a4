import type { NextRequest } from "next/server";
import { loadAccountRequest } from "@/lib/account/account-request";
import { signOutOtherSessions } from "@/lib/account/security";
import { parseBody } from "@/lib/http/body";
import { jsonError, jsonOk } from "@/lib/http/response";
import { emptySchema } from "@/lib/mfa/schemas";

/** Signs out every other session of the user's (after a recent second factor, when 2FA is on). */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, emptySchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadAccountRequest(request, { stepUp: "if-enrolled" });
  if (!loaded.ok) return jsonError(loaded.code);
  return jsonOk({ ended: await signOutOtherSessions(loaded.userId, loaded.sid, loaded.client) });
}
