/** Reading bodies and writing answers on node:http, shared by the Auth API, control API and phone page. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { DUO_ERRORS, httpStatusOf, type DuoFailure } from "../core/duo-errors";

export type BodyRead = { ok: true; bytes: Buffer } | { ok: false; reason: "too_large" | "aborted" };

/**
 * The raw body bytes (node:http has already undone chunked transfer encoding), refused past `limit`
 * so a client cannot make the emulator buffer without bound.
 */
export function readRawBody(request: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(request.headers["content-length"] ?? "0");
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, reason: "too_large" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (result: BodyRead) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    request.on("data", (chunk: Buffer) => {
      if (done) return;
      total += chunk.length;
      if (total > limit) {
        finish({ ok: false, reason: "too_large" });
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => finish({ ok: true, bytes: Buffer.concat(chunks) }));
    request.on("error", () => finish({ ok: false, reason: "aborted" }));
    request.on("aborted", () => finish({ ok: false, reason: "aborted" }));
  });
}

/** The body's media type, lower-case, without parameters ("" when absent). */
export function mediaType(request: IncomingMessage): string {
  return (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** JSON with exactly `Content-Type: application/json` — Duo's Ruby client rejects a charset (§1). */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...headers,
  });
  response.end(text);
}

export function sendDuoOk(response: ServerResponse, value: unknown): void {
  sendJson(response, 200, { stat: "OK", response: value });
}

export function sendDuoFail(response: ServerResponse, failure: DuoFailure, headers: Record<string, string> = {}): void {
  sendJson(
    response,
    httpStatusOf(failure.code),
    {
      stat: "FAIL",
      code: failure.code,
      message: DUO_ERRORS[failure.code],
      ...(failure.detail === undefined ? {} : { message_detail: failure.detail }),
    },
    headers,
  );
}

export function sendBytes(response: ServerResponse, status: number, contentType: string, bytes: Uint8Array, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { "Content-Type": contentType, "Content-Length": bytes.byteLength, ...headers });
  response.end(bytes);
}

/** An AbortSignal that fires when the client goes away before we answered (long-polls, sync /auth). */
export function clientGone(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.on("close", () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
