/**
 * Duo's official Node client (@duosecurity/duo_api 1.5.0, unmodified) completes check, enroll, preauth
 * and an async push against the emulator, with both signature versions it supports (v2 and v5).
 *
 * The package only speaks HTTPS to port 443 with Duo's pinned CA list; its transport is pointed at the
 * emulator by wrapping `https.request` (which it calls) for the duration of this file, as a test would
 * wrap a transport — the package's own signing and request building are untouched.
 */
import http from "node:http";
import https from "node:https";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../lib/emulator/server";
import { control, startTestEmulator } from "./helpers";

interface DuoApiClient {
  jsonApiCall(method: string, path: string, params: Record<string, string>, callback: (response: unknown) => void): void;
}
interface DuoApiModule {
  Client: new (ikey: string, skey: string, host: string, sigVersion?: number) => DuoApiClient;
  SIGNATURE_VERSION_2: number;
  SIGNATURE_VERSION_5: number;
}

function loadDuoApi(): DuoApiModule {
  const loaded: unknown = createRequire(import.meta.url)("@duosecurity/duo_api");
  if (typeof loaded !== "object" || loaded === null || !("Client" in loaded) || typeof loaded.Client !== "function") {
    throw new Error("@duosecurity/duo_api did not load as expected");
  }
  return loaded as DuoApiModule;
}

const API_HOST = "api-emulator.duosecurity.com";
let emulator: RunningEmulator;
const originalRequest = https.request;
const duoApi = loadDuoApi();

beforeAll(async () => {
  emulator = await startTestEmulator({ apiHost: API_HOST });
  // Same options the client built (method, path, headers incl. Host and Date), sent over plain HTTP.
  const toEmulator = (options: https.RequestOptions, callback?: (res: http.IncomingMessage) => void) => {
    const { ca: _pinnedCa, ...plain } = options;
    return http.request({ ...plain, host: "127.0.0.1", port: emulator.port }, callback);
  };
  (https as { request: unknown }).request = toEmulator;
});
afterAll(async () => {
  (https as { request: unknown }).request = originalRequest;
  await emulator.close();
});

function call(client: DuoApiClient, method: string, path: string, params: Record<string, string> = {}): Promise<{ stat: string; response: unknown; code?: number }> {
  return new Promise((resolve) => client.jsonApiCall(method, path, params, (response) => resolve(response as { stat: string; response: unknown })));
}

describe.each([
  ["v2", duoApi.SIGNATURE_VERSION_2],
  ["v5", duoApi.SIGNATURE_VERSION_5],
])("@duosecurity/duo_api with signature %s", (label, sigVersion) => {
  const client = () => new duoApi.Client(emulator.ikey, emulator.skey, API_HOST, sigVersion);

  it("check", async () => {
    const answer = await call(client(), "GET", "/auth/v2/check");
    expect(answer).toMatchObject({ stat: "OK", response: { time: expect.any(Number) } });
  });

  it("a wrong secret key is refused (40103)", async () => {
    const wrong = new duoApi.Client(emulator.ikey, "z".repeat(40), API_HOST, sigVersion);
    expect(await call(wrong, "GET", "/auth/v2/check")).toMatchObject({ stat: "FAIL", code: 40103 });
  });

  it("enroll, scan, enroll_status", async () => {
    const enrolled = await call(client(), "POST", "/auth/v2/enroll", { username: `node-${label}`, valid_secs: "600" });
    expect(enrolled.stat).toBe("OK");
    const { user_id, activation_code } = enrolled.response as { user_id: string; activation_code: string };
    expect(await call(client(), "POST", "/auth/v2/enroll_status", { user_id, activation_code })).toEqual({ stat: "OK", response: "waiting" });
    expect((await control(emulator, "POST", "/activations", { activation_code })).status).toBe(201);
    expect(await call(client(), "POST", "/auth/v2/enroll_status", { user_id, activation_code })).toEqual({ stat: "OK", response: "success" });
  });

  it("preauth, then an async push approved on the phone, followed with auth_status", async () => {
    const username = `node-${label}`;
    const preauth = await call(client(), "POST", "/auth/v2/preauth", { username, ipaddr: "203.0.113.9" });
    expect(preauth).toMatchObject({ stat: "OK", response: { result: "auth", devices: [{ capabilities: expect.arrayContaining(["push"]) }] } });

    const started = await call(client(), "POST", "/auth/v2/auth", {
      username,
      factor: "push",
      device: "auto",
      async: "1",
      pushinfo: "from=node client&x=1",
      ipaddr: "203.0.113.9",
    });
    expect(started.stat).toBe("OK");
    const { txid } = started.response as { txid: string };
    expect(await call(client(), "GET", "/auth/v2/auth_status", { txid })).toMatchObject({ stat: "OK", response: { result: "waiting", status: "pushed" } });

    const [list] = [(await control(emulator, "GET", `/users/${username}/transactions`)).json as Array<{ txid: string; pushinfo: unknown }>];
    expect(list?.[0]).toMatchObject({ txid, pushinfo: { from: "node client", x: "1" } });
    const held = call(client(), "GET", "/auth/v2/auth_status", { txid });
    await control(emulator, "POST", `/transactions/${txid}`, { answer: "approve" });
    expect(await held).toMatchObject({ stat: "OK", response: { result: "allow", status: "allow" } });
  });
});
