/**
 * The browser's side of our JSON routes: POST a body, get the value or the error code from the registry.
 * Network failures and unexpected answers become codes too, so components only ever branch on values.
 */
import { errorMessage, toErrorCode, type ErrorCode } from "../errors";

export type ApiResult<T> = { ok: true; data: T } | { ok: false; code: ErrorCode; message: string; status: number; extra: Record<string, unknown> };

export async function postJson<T>(path: string, body: unknown = {}, signal?: AbortSignal): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal,
      cache: "no-store",
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    return { ok: false, code: "SERVICE_UNAVAILABLE", message: errorMessage("SERVICE_UNAVAILABLE"), status: 0, extra: {} };
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, data: json as T };
  const envelope = (json ?? {}) as { error?: { code?: unknown; message?: unknown } } & Record<string, unknown>;
  const code = toErrorCode(envelope.error?.code);
  const { error: _error, ...extra } = envelope;
  return { ok: false, code, message: errorMessage(code), status: response.status, extra };
}
