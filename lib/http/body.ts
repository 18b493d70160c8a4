/**
 * Reading request bodies at the edge: bounded in size, parsed as JSON or a form, checked with zod.
 * Every failure is a value with an error code, so a route answers a clear 4xx and never a 500.
 */
import type { z } from "zod";
import { fail, ok, type Result } from "../errors";

/** Our API bodies are a few fields; anything past this is refused unread. */
export const API_MAX_BODY_BYTES = 16 * 1024;

export type BodyErrorCode = "INVALID_INPUT" | "BODY_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE";

export interface BodyFailure {
  code: BodyErrorCode;
  /** Which field is wrong and why, for the form to show next to it. Never includes the submitted value. */
  fields?: Record<string, string>;
}

/** Reads at most `limit` bytes of the body; stops reading (and reports) as soon as it passes the limit. */
export async function readBoundedText(request: Request, limit: number = API_MAX_BODY_BYTES): Promise<Result<string, "BODY_TOO_LARGE" | "INVALID_INPUT">> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return fail("BODY_TOO_LARGE");
  if (!request.body) return ok("");
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return fail("BODY_TOO_LARGE");
    }
    chunks.push(value);
  }
  try {
    return ok(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)));
  } catch {
    return fail("INVALID_INPUT");
  }
}

/** Parses a JSON (or urlencoded form) body and validates it; extra fields are refused by strict schemas. */
export async function parseBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  limit: number = API_MAX_BODY_BYTES,
): Promise<{ ok: true; value: z.output<S> } | ({ ok: false } & BodyFailure)> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json" && type !== "application/x-www-form-urlencoded") {
    return { ok: false, code: "UNSUPPORTED_MEDIA_TYPE" };
  }
  const text = await readBoundedText(request, limit);
  if (!text.ok) return { ok: false, code: text.code };

  let data: unknown;
  if (type === "application/json") {
    try {
      data = JSON.parse(text.value);
    } catch {
      return { ok: false, code: "INVALID_INPUT", fields: { body: "is not valid JSON" } };
    }
  } else {
    data = Object.fromEntries(new URLSearchParams(text.value));
  }
  return validate(schema, data);
}

export function validate<S extends z.ZodType>(
  schema: S,
  data: unknown,
): { ok: true; value: z.output<S> } | ({ ok: false } & BodyFailure) {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
    fields[key] ??= issue.message;
  }
  return { ok: false, code: "INVALID_INPUT", fields };
}
