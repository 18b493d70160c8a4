import type { NextRequest } from "next/server";
import { startEnrollment } from "@/lib/enrollment/enrollment";
import { loadEnrollmentRequest } from "@/lib/enrollment/enrollment-request";
import { startEnrollmentSchema } from "@/lib/enrollment/schemas";
import { parseBody } from "@/lib/http/body";
import { jsonError, jsonOk } from "@/lib/http/response";

/** Starts turning 2FA on: a QR code to scan, or the offer to link a Duo account that already exists. */
export async function POST(request: NextRequest) {
  const input = await parseBody(request, startEnrollmentSchema);
  if (!input.ok) return jsonError(input.code, input.fields);
  const loaded = await loadEnrollmentRequest(request);
  if (!loaded.ok) return jsonError(loaded.code);
  const result = await startEnrollment(loaded.userId, { link: input.value.link });
  return result.ok ? jsonOk(result.value) : jsonError(result.code);
}
