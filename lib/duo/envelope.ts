/**
 * Turns Duo's raw answer into a value: `{"stat":"OK","response":…}` → the parsed `response`,
 * `{"stat":"FAIL",…}` → DuoApiError, anything else → DuoProtocolError (§2.1).
 */
import { z } from "zod";
import { DuoApiError, DuoProtocolError, type DuoRequestContext, type DuoResult } from "./errors";
import { bodyPreview, type DuoHttpResponse } from "./transport";

const JSON_MEDIA_TYPE = "application/json";

const okEnvelope = z.object({ stat: z.literal("OK"), response: z.unknown() });
const failEnvelope = z.object({
  stat: z.literal("FAIL"),
  // Duo's Go and Java clients had to accept a string code (even ""); keep whatever came.
  code: z.union([z.number(), z.string()]).optional(),
  message: z.string().optional(),
  message_detail: z.string().optional(),
});
const envelope = z.discriminatedUnion("stat", [okEnvelope, failEnvelope]);

/** The FAIL code when Duo sent none: the HTTP status times 100, which is what every observed code is (§2.2). */
const MISSING_CODE_FACTOR = 100;

export function parseEnvelope<T>(raw: DuoHttpResponse, schema: z.ZodType<T>, context: DuoRequestContext): DuoResult<T> {
  const httpStatus = raw.status;
  const protocolError = (problem: "malformed-body" | "unexpected-content-type" | "unexpected-shape", detail: string) => ({
    ok: false as const,
    error: new DuoProtocolError({ problem, httpStatus, detail, bodyPreview: bodyPreview(raw.body) }, context),
  });

  if (raw.mediaType !== JSON_MEDIA_TYPE) {
    return protocolError("unexpected-content-type", `Content-Type "${raw.mediaType || "(none)"}" instead of ${JSON_MEDIA_TYPE}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw.body).toString("utf8"));
  } catch {
    return protocolError("malformed-body", "the body is not valid JSON");
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success) return protocolError("unexpected-shape", "not a Duo response envelope");

  if (parsed.data.stat === "FAIL") {
    const fail = parsed.data;
    return {
      ok: false,
      error: new DuoApiError(
        {
          code: fail.code ?? httpStatus * MISSING_CODE_FACTOR,
          message: fail.message ?? "",
          ...(fail.message_detail === undefined ? {} : { messageDetail: fail.message_detail }),
          httpStatus,
        },
        context,
      ),
    };
  }
  if (httpStatus !== 200) {
    // Official clients treat any non-200 as an error even with stat OK (duo_client_python's tests pin it).
    return protocolError("unexpected-shape", `stat OK with HTTP ${httpStatus}`);
  }
  const value = schema.safeParse(parsed.data.response);
  if (!value.success) {
    const issue = value.error.issues[0];
    return protocolError("unexpected-shape", `response does not match: ${issue ? `${issue.path.join(".") || "(root)"} ${issue.message}` : "invalid"}`);
  }
  return { ok: true, value: value.data };
}
