import { createAccount } from "@/lib/auth/accounts";
import { signUpSchema } from "@/lib/auth/schemas";
import { getConfig } from "@/lib/config/env";
import { parseBody } from "@/lib/http/body";
import { clientInfo } from "@/lib/http/client-info";
import { jsonError, jsonOk } from "@/lib/http/response";

export async function POST(request: Request) {
  const input = await parseBody(request, signUpSchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const result = await createAccount(input.value, clientInfo(request.headers, getConfig().trustProxy));
  if (!result.ok) return jsonError(result.code);
  return jsonOk({ user: result.value }, { status: 201 });
}
