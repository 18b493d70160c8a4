import type { NextRequest } from "next/server";
import { loadAccountRequest } from "@/lib/account/account-request";
import { signOutSessionSchema } from "@/lib/account/schemas";
import { signOutSession } from "@/lib/account/security";
import { parseBody } from "@/lib/http/body";
import { jsonError, jsonOk } from "@/lib/http/response";

/** Signs out one other session of the user's, wherever it is. */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, signOutSessionSchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadAccountRequest(request, { stepUp: false });
  if (!loaded.ok) return jsonError(loaded.code);
  const ended = await signOutSession(loaded.userId, input.value.id, loaded.client);
  return ended ? jsonOk({ ended: true }) : jsonError("NOT_FOUND");
}
