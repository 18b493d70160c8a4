import type { NextRequest } from "next/server";
import { loadAccountRequest } from "@/lib/account/account-request";
import { revokeBrowserSchema } from "@/lib/account/schemas";
import { forgetBrowser } from "@/lib/account/security";
import { parseBody } from "@/lib/http/body";
import { jsonError, jsonOk } from "@/lib/http/response";

/** Forgets one remembered browser: it will be asked for a second factor again. */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, revokeBrowserSchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadAccountRequest(request, { stepUp: false });
  if (!loaded.ok) return jsonError(loaded.code);
  const revoked = await forgetBrowser(loaded.userId, input.value.id, loaded.client);
  return revoked ? jsonOk({ revoked: true }) : jsonError("NOT_FOUND");
}
