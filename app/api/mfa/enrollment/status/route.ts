import type { NextRequest } from "next/server";
import { enrollmentProgress } from "@/lib/enrollment/enrollment";
import { loadEnrollmentRequest } from "@/lib/enrollment/enrollment-request";
import { parseBody } from "@/lib/http/body";
import { jsonError, jsonOk } from "@/lib/http/response";
import { emptySchema } from "@/lib/mfa/schemas";

/** Has the QR code been scanned? The server asks Duo (/enroll_status) with what it kept; the browser sends nothing. */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, emptySchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadEnrollmentRequest(request);
  if (!loaded.ok) return jsonError(loaded.code);
  const result = await enrollmentProgress(loaded.userId);
  return result.ok ? jsonOk(result.value) : jsonError(result.code);
}
