import { NextResponse } from "next/server";
import { errorBody, errorStatus, type ErrorCode } from "../errors";

/** Responses that carry session state or secrets must never be stored by a cache. */
const NO_STORE = { "Cache-Control": "no-store" };

export function jsonOk<T>(body: T, init: { status?: number } = {}): NextResponse<T> {
  return NextResponse.json(body, { status: init.status ?? 200, headers: NO_STORE });
}

export function jsonError(code: ErrorCode, fields?: Record<string, string>): NextResponse {
  return NextResponse.json(errorBody(code, fields), { status: errorStatus(code), headers: NO_STORE });
}
