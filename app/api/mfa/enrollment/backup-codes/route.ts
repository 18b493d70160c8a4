import type { NextRequest } from "next/server";
import { enrollmentBackupCodes } from "@/lib/enrollment/enrollment";
import { loadEnrollmentRequest } from "@/lib/enrollment/enrollment-request";
import { parseBody } from "@/lib/http/body";
import { jsonError, jsonOk } from "@/lib/http/response";
import { emptySchema } from "@/lib/mfa/schemas";

/** The enrollment's backup codes, in this response only: they are stored hashed and never shown again. */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, emptySchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadEnrollmentRequest(request);
  if (!loaded.ok) return jsonError(loaded.code);
  const result = await enrollmentBackupCodes(loaded.userId);
  return result.ok ? jsonOk({ codes: result.value }) : jsonError(result.code);
}
