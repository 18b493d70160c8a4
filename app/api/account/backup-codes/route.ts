import type { NextRequest } from "next/server";
import { loadAccountRequest } from "@/lib/account/account-request";
import { regenerateBackupCodes } from "@/lib/account/security";
import { parseBody } from "@/lib/http/body";
import { jsonError, jsonOk } from "@/lib/http/response";
import { emptySchema } from "@/lib/mfa/schemas";

/** New backup codes (after a recent second factor): all old ones stop working; the new ones are shown once. */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, emptySchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadAccountRequest(request, { stepUp: true });
  if (!loaded.ok) return jsonError(loaded.code);
  return jsonOk({ codes: await regenerateBackupCodes(loaded.userId, loaded.client) });
}
