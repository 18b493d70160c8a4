import type { NextRequest } from "next/server";
import { loadAccountRequest } from "@/lib/account/account-request";
import { changePassword } from "@/lib/account/password-change";
import { changePasswordSchema } from "@/lib/account/schemas";
import { parseBody } from "@/lib/http/body";
import { jsonError, jsonOk } from "@/lib/http/response";

/** Changes the password (current password, and a recent second factor when 2FA is on); ends every session. */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, changePasswordSchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadAccountRequest(request, { stepUp: "if-enrolled" });
  if (!loaded.ok) return jsonError(loaded.code);
  const result = await changePassword(loaded.userId, input.value, loaded.client);
  return result.ok ? jsonOk({ signedOut: true }) : jsonError(result.code);
}
