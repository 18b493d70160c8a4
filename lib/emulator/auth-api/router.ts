/**
 * The Auth API front door: route, read the body, verify (§8.2 steps 2–6), check the integration type
 * (step 7), scripted rate limits and faults (step 8), collect parameters, then the endpoint validates (step 9).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_BODY_BYTES } from "../constants";
import type { Faults } from "../core/faults";
import { clientGone, mediaType, readRawBody, sendBytes, sendDuoFail, sendDuoOk } from "../http/io";
import { ENDPOINTS, type ApiContext, type Reply } from "./endpoints";
import { collectParams } from "./params";
import { verifyRequest, type BodyKind, type Integration } from "./verify";

export interface AuthApiDeps {
  context: ApiContext;
  integrations: ReadonlyMap<string, Integration>;
  clockSkewSeconds: number;
  faults: Faults;
}

export function isAuthApiPath(path: string): boolean {
  return path.startsWith("/auth/");
}

export async function handleAuthApi(request: IncomingMessage, response: ServerResponse, deps: AuthApiDeps): Promise<void> {
  const target = request.url ?? "/";
  const queryStart = target.indexOf("?");
  // The path exactly as sent: it is what the client signed (§3.1), so it is neither decoded nor normalised.
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = [...new URLSearchParams(queryStart === -1 ? "" : target.slice(queryStart + 1))];

  const endpoint = Object.hasOwn(ENDPOINTS, path) ? ENDPOINTS[path] : undefined;
  // Unknown path and wrong method: Duo's answers are UNCONFIRMED (§2.2); these are the emulator's choice.
  if (!endpoint) return sendDuoFail(response, { code: 40401 });
  if (request.method !== endpoint.method) return sendDuoFail(response, { code: 40501 }, { Allow: endpoint.method });
  const signal = clientGone(response);

  const body = await readRawBody(request, MAX_BODY_BYTES);
  if (!body.ok) {
    if (body.reason === "too_large") sendDuoFail(response, { code: 41301 }, { Connection: "close" });
    return;
  }
  if (!endpoint.signed) return send(response, await endpoint.handle(deps.context, {}, signal));

  const bodyKind = bodyKindOf(request, body.bytes);
  const form = bodyKind === "form" ? [...new URLSearchParams(body.bytes.toString("utf8"))] : [];
  const verified = verifyRequest(
    { method: request.method, path, headers: request.headers, query, form, body: body.bytes, bodyKind },
    { integrations: deps.integrations, apiHost: deps.context.apiHost, now: deps.context.now(), clockSkewSeconds: deps.clockSkewSeconds },
  );
  if (!verified.ok) return sendDuoFail(response, verified.failure);
  if (verified.value.type !== "auth") return sendDuoFail(response, { code: 40301, detail: "Wrong integration type for this API." });

  const limited = deps.faults.takeRateLimit();
  if (limited !== null) return sendRateLimited(response, limited.retryAfterSeconds);
  const fault = deps.faults.take();
  if (fault !== null) {
    switch (fault.kind) {
      case "http500":
        // What a load balancer in front of Duo answers: not a Duo envelope at all.
        return sendBytes(response, 500, "text/html", Buffer.from("<html><body><h1>500 Internal Server Error</h1></body></html>"));
      case "fail50001":
        return sendDuoFail(response, { code: 50001 });
      case "http429":
        return sendRateLimited(response, fault.retryAfterSeconds);
      case "slow":
        if (!(await held(fault.delayMs, signal))) return;
    }
  }

  const params = collectParams(query, form, body.bytes, bodyKind);
  if (!params.ok) return sendDuoFail(response, params.failure);
  send(response, await endpoint.handle(deps.context, params.value, signal));
}

function sendRateLimited(response: ServerResponse, retryAfterSeconds: number | null): void {
  sendDuoFail(response, { code: 42901 }, retryAfterSeconds === null ? {} : { "Retry-After": String(retryAfterSeconds) });
}

/** Waits `ms`, or until the client goes away (then false: nobody is left to answer). */
function held(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function bodyKindOf(request: IncomingMessage, body: Buffer): BodyKind {
  if (body.length === 0) return "empty";
  const type = mediaType(request);
  if (type === "application/x-www-form-urlencoded") return "form";
  if (type === "application/json") return "json";
  return "other";
}

function send(response: ServerResponse, reply: Reply): void {
  if (reply.kind === "ok") sendDuoOk(response, reply.value);
  else if (reply.kind === "fail") sendDuoFail(response, reply.failure);
  else sendBytes(response, 200, "image/png", reply.bytes, { "Cache-Control": "no-store" });
}
