/**
 * A scriptable stand-in for Duo's API on a loopback ephemeral port, for testing the client over real HTTP.
 * It verifies every request's signature with test/support/reference-signer.ts — never lib/duo/signing.ts —
 * so a bug in our signing cannot hide by being on both sides. It records what arrived (decoded
 * parameters, headers, raw body, signature verdict) and answers whatever the test scripts, including
 * broken answers: truncated bodies, dropped connections, no answer at all.
 */
import http, { type IncomingHttpHeaders } from "node:http";
import { type AddressInfo } from "node:net";
import { type DuoEndpoint } from "../../lib/duo/host";
import { referenceVerify } from "./reference-signer";

export interface SignatureVerdict {
  valid: boolean;
  version: 2 | 5 | null;
  digest: "sha1" | "sha512" | null;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  /** Decoded query parameters, in wire order. */
  query: Array<[string, string]>;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Media type of the request body, lower-case, "" when none. */
  contentType: string;
  /** Decoded parameters from wherever they travelled (query, form body or JSON body). */
  params: Array<[string, string]>;
  signature: SignatureVerdict;
}

export type Reply =
  | { kind: "json"; status?: number; body: unknown; headers?: Record<string, string> }
  | { kind: "raw"; status?: number; contentType?: string; body: string | Buffer; headers?: Record<string, string> }
  /** Announces `declaredLength` bytes, sends `body`, then drops the connection. */
  | { kind: "truncate"; status?: number; contentType?: string; declaredLength: number; body: string }
  /** Drops the connection without answering. */
  | { kind: "destroy" }
  /** Never answers (until the server closes). */
  | { kind: "hang" }
  /** Answers `then` after `ms` milliseconds. */
  | { kind: "delay"; ms: number; then: Reply };

export type Handler = (request: ReceivedRequest) => Reply | Promise<Reply>;

export const ok = (response: unknown, headers?: Record<string, string>): Reply => ({ kind: "json", body: { stat: "OK", response }, ...(headers ? { headers } : {}) });

export const fail = (status: number, code: number | string, message: string, detail?: string, headers?: Record<string, string>): Reply => ({
  kind: "json",
  status,
  body: { stat: "FAIL", code, message, ...(detail === undefined ? {} : { message_detail: detail }) },
  ...(headers ? { headers } : {}),
});

export interface TestDuoServer {
  /** Connects to the loopback port but signs `signedHost`, as for real Duo. */
  endpoint: DuoEndpoint;
  requests: ReceivedRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export interface TestDuoServerOptions {
  ikey: string;
  skey: string;
  /** The API hostname the client must sign (not the loopback address it connects to). */
  signedHost: string;
  handler?: Handler;
  /** Answer 401/40103 to a bad signature before the handler sees it (default true), as Duo does. */
  rejectBadSignatures?: boolean;
}

export async function startSignatureCheckingServer(options: TestDuoServerOptions): Promise<TestDuoServer> {
  let handler: Handler = options.handler ?? (() => ok({ time: Math.floor(Date.now() / 1000) }));
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const received = describe(req, Buffer.concat(chunks), options);
        requests.push(received);
        const reply =
          !received.signature.valid && options.rejectBadSignatures !== false && !received.path.endsWith("/ping")
            ? received.headers.authorization
              ? fail(401, 40103, "Invalid signature in request credentials")
              : fail(401, 40101, "Missing request credentials")
            : await handler(received);
        send(res, reply, hanging);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: { origin: `http://127.0.0.1:${port}`, signedHost: options.signedHost, loopback: true },
    requests,
    handle(next) {
      handler = next;
    },
    close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function describe(req: http.IncomingMessage, rawBody: Buffer, options: TestDuoServerOptions): ReceivedRequest {
  const url = new URL(req.url ?? "/", "http://placeholder");
  const query = [...url.searchParams.entries()];
  const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const form = contentType === "application/x-www-form-urlencoded" ? [...new URLSearchParams(rawBody.toString("utf8")).entries()] : [];
  const json = contentType === "application/json" ? jsonPairs(rawBody) : [];
  const method = req.method ?? "GET";
  const path = url.pathname;

  // Duo's mock gives X-Duo-Date precedence over Date (§8.2).
  const date = header(req.headers, "x-duo-date") ?? header(req.headers, "date") ?? "";
  const xDuoHeaders = Object.fromEntries(
    Object.entries(req.headers)
      .filter(([name]) => name.startsWith("x-duo-"))
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]),
  );
  const authorization = header(req.headers, "authorization") ?? "";
  const common = { ikey: options.ikey, skey: options.skey, date, method, host: options.signedHost, path };
  let version: 2 | 5 | null = null;
  if (referenceVerify({ ...common, version: 5, params: query, body: rawBody, xDuoHeaders }, authorization)) version = 5;
  else if (referenceVerify({ ...common, version: 2, params: [...query, ...form] }, authorization)) version = 2;

  return {
    method,
    path,
    query,
    headers: req.headers,
    rawBody,
    contentType,
    params: [...query, ...form, ...json],
    signature: { valid: version !== null, version, digest: version === null ? null : signatureDigest(authorization) },
  };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function signatureDigest(authorization: string): "sha1" | "sha512" | null {
  const decoded = Buffer.from(authorization.replace(/^Basic /, ""), "base64").toString("utf8");
  const signature = decoded.slice(decoded.indexOf(":") + 1);
  return signature.length === 40 ? "sha1" : signature.length === 128 ? "sha512" : null;
}

function jsonPairs(body: Buffer): Array<[string, string]> {
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return [];
    return Object.entries(parsed).flatMap(([key, value]): Array<[string, string]> =>
      Array.isArray(value) ? value.map((item): [string, string] => [key, String(item)]) : [[key, String(value)]],
    );
  } catch {
    return [];
  }
}

function send(res: http.ServerResponse, reply: Reply, hanging: Set<http.ServerResponse>): void {
  switch (reply.kind) {
    case "json": {
      // Exactly application/json, no charset, as Duo sends it (§1).
      res.writeHead(reply.status ?? 200, { "Content-Type": "application/json", ...reply.headers });
      res.end(JSON.stringify(reply.body));
      return;
    }
    case "raw": {
      res.writeHead(reply.status ?? 200, { ...(reply.contentType ? { "Content-Type": reply.contentType } : {}), ...reply.headers });
      res.end(reply.body);
      return;
    }
    case "truncate": {
      res.writeHead(reply.status ?? 200, { "Content-Type": reply.contentType ?? "application/json", "Content-Length": String(reply.declaredLength) });
      res.write(reply.body, () => res.socket?.destroy());
      return;
    }
    case "destroy":
      res.socket?.destroy();
      return;
    case "hang":
      hanging.add(res);
      return;
    case "delay":
      hanging.add(res);
      setTimeout(() => {
        hanging.delete(res);
        if (!res.destroyed) send(res, reply.then, hanging);
      }, reply.ms);
      return;
  }
}
