import type { NextRequest } from "next/server";
import { signOut } from "@/lib/auth/next-auth";
import { parseBody } from "@/lib/http/body";
import { jsonError, jsonOk } from "@/lib/http/response";
import { cancelChallenge } from "@/lib/mfa/actions";
import { loadMfaRequest } from "@/lib/mfa/mfa-request";
import { emptySchema } from "@/lib/mfa/schemas";

/** Cancel: the challenge ends, and a pending sign-in is signed out (back to the sign-in page). */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, emptySchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadMfaRequest(request, "status");
  if (loaded.ok) await cancelChallenge(loaded.context);
  const pendingSignIn = !loaded.ok || loaded.context.challenge.purpose === "sign-in";
  if (pendingSignIn) await signOut({ redirect: false });
  return jsonOk({ signedOut: pendingSignIn });
}
