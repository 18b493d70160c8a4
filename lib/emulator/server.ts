/**
 * The Duo Auth API emulator as a library: `startEmulator(options)` listens on its own port and returns
 * its addresses, keys and `close()`. Used by `npm run emulator` (main.ts), `npm run dev`, the end-to-end
 * harness and the tests, each with its own options (port 0 and a temporary data folder in tests).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { log } from "../log";
import { handleAuthApi, isAuthApiPath } from "./auth-api/router";
import type { Integration } from "./auth-api/verify";
import { CLOCK_SKEW_SECONDS, DEFAULT_LISTEN_HOST, PERSIST_DEBOUNCE_MS } from "./constants";
import { expire } from "./core/auth";
import type { EmulatorContext } from "./core/context";
import { Faults } from "./core/faults";
import { DEFAULT_POLICY, type Policy } from "./core/policy";
import { ensureDataDir, SnapshotFile } from "./core/snapshot-file";
import { Store } from "./core/store";
import { TransactionBook } from "./core/transaction-book";
import { handleControl, isControlPath, CONTROL_PREFIX } from "./control/routes";
import { sendDuoFail } from "./http/io";
import { newIkey, newSkey } from "./ids";
import { PhoneEvents } from "./phone/events";
import { DEFAULT_LOGO, handlePage, isPagePath } from "./phone/routes";
import { DEFAULT_EMULATOR_PORT, emulatorDataDir, emulatorKeys } from "./settings";

export interface EmulatorOptions {
  /** Address to listen on. Default 127.0.0.1: the emulator approves logins, keep it off the network. */
  listenHost?: string;
  /** Port; 0 picks a free one (tests). Default DEFAULT_EMULATOR_PORT (3100). */
  port?: number;
  /** The API hostname clients sign and activation codes carry. Default: the listen address. */
  apiHost?: string;
  /** Integration keys. Default: the persisted ones of the data folder, or fresh ones in memory mode. */
  ikey?: string;
  skey?: string;
  /** More integrations, e.g. an Admin API one to test 40301. */
  extraIntegrations?: Integration[];
  /** State folder. Default DUO_EMULATOR_DATA (data/duo-emulator); null keeps state in memory only. */
  dataDir?: string | null;
  /** Unix milliseconds; injectable for tests that move time. */
  clock?: () => number;
  clockSkewSeconds?: number;
  policy?: Partial<Policy>;
  /** PNG served by /auth/v2/logo; null answers 404/40401. */
  logo?: Uint8Array | null;
  persistDebounceMs?: number;
  /** One log line per request (method, path without query, status, duration). */
  logRequests?: boolean;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:3100 — DUO_HOST for a client. */
  url: string;
  port: number;
  apiHost: string;
  ikey: string;
  skey: string;
  phoneUrl: string;
  controlUrl: string;
  dataDir: string | null;
  /** The live state and policy, for in-process tests and benchmarks. */
  context: EmulatorContext;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export class EmulatorStartError extends Error {
  override readonly name = "EmulatorStartError";
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const listenHost = options.listenHost ?? DEFAULT_LISTEN_HOST;
  const dataDir = options.dataDir === undefined ? emulatorDataDir() : options.dataDir;
  if (dataDir !== null) ensureDataDir(dataDir);
  const keys =
    options.ikey && options.skey
      ? { ikey: options.ikey, skey: options.skey }
      : dataDir !== null
        ? emulatorKeys({ DUO_EMULATOR_DATA: dataDir })
        : { ikey: newIkey(), skey: newSkey() };
  const integrations = new Map<string, Integration>([[keys.ikey, { ...keys, type: "auth" }]]);
  for (const extra of options.extraIntegrations ?? []) integrations.set(extra.ikey, extra);

  const initialPolicy: Policy = { ...DEFAULT_POLICY, ...options.policy };
  const now = options.clock ?? Date.now;
  const store = new Store();
  const events = new PhoneEvents();
  const faults = new Faults();
  let baseUrl = "";
  const snapshot = new SnapshotFile(
    dataDir,
    () => store.snapshot(now()),
    options.persistDebounceMs ?? PERSIST_DEBOUNCE_MS,
    (error) => log.error("emulator.persist_failed", { error: error instanceof Error ? error.message : String(error) }),
  );
  const changed = () => {
    snapshot.schedule();
    events.notify();
  };
  // The book's expiry callback needs the context, which needs the book: the closure runs only later.
  const book = new TransactionBook(store, now, (transaction) => expire(context, transaction), changed);
  const context: EmulatorContext = {
    store,
    book,
    policy: { ...initialPolicy },
    now,
    changed,
    apiHost: (options.apiHost ?? urlHost(listenHost)).toLowerCase(),
    baseUrl: () => baseUrl,
    ikey: keys.ikey,
  };

  const loaded = snapshot.load();
  if (loaded.problem !== null) log.warn("emulator.state_damaged", { problem: loaded.problem });
  store.load(loaded.snapshot);
  context.book.restore();

  const reset = async () => {
    context.book.clear();
    store.clear();
    faults.clear();
    Object.assign(context.policy, initialPolicy);
    snapshot.schedule();
    await snapshot.flush();
    events.notify();
  };

  const allowedHosts = [context.apiHost, listenHost];
  const apiContext = { ...context, logo: options.logo === undefined ? DEFAULT_LOGO : options.logo };
  const clockSkewSeconds = options.clockSkewSeconds ?? CLOCK_SKEW_SECONDS;
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const target = request.url ?? "/";
    if (!target.startsWith("/")) return sendDuoFail(response, { code: 40002, detail: "request target" });
    if (isAuthApiPath(target)) return handleAuthApi(request, response, { context: apiContext, integrations, clockSkewSeconds, faults });
    const url = new URL(target, "http://emulator.invalid");
    if (isControlPath(url.pathname)) return handleControl(request, response, url.pathname, { context, faults, reset, allowedHosts });
    if (isPagePath(url.pathname)) return handlePage(request, response, url, { context, events, allowedHosts });
    sendDuoFail(response, { code: 40401 });
  };

  const server = createServer((request, response) => {
    const started = performance.now();
    if (options.logRequests) {
      response.on("finish", () => {
        log.info("emulator.request", {
          method: request.method,
          path: (request.url ?? "").split("?")[0],
          status: response.statusCode,
          ms: Math.round(performance.now() - started),
        });
      });
    }
    handle(request, response).catch((error: unknown) => {
      log.error("emulator.request_failed", { error: error instanceof Error ? error.message : String(error) });
      if (!response.headersSent) sendDuoFail(response, { code: 50001 });
      else response.destroy();
    });
  });

  const port = await listen(server, options.port ?? DEFAULT_EMULATOR_PORT, listenHost);
  baseUrl = `http://${urlHost(listenHost)}:${port}`;

  return {
    url: baseUrl,
    port,
    apiHost: context.apiHost,
    ikey: keys.ikey,
    skey: keys.skey,
    phoneUrl: `${baseUrl}/phone`,
    controlUrl: `${baseUrl}${CONTROL_PREFIX}`,
    dataDir,
    context,
    reset,
    close: async () => {
      events.close();
      context.book.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await snapshot.flush();
    },
  };
}

/** The host part of a URL for the listen address (a wildcard address is reached through loopback). */
function urlHost(listenHost: string): string {
  if (listenHost === "0.0.0.0" || listenHost === "::" || listenHost === "") return DEFAULT_LISTEN_HOST;
  return listenHost.includes(":") ? `[${listenHost}]` : listenHost;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new EmulatorStartError(
          error.code === "EADDRINUSE"
            ? `Port ${port} on ${host} is in use. Stop what uses it or set DUO_EMULATOR_PORT.`
            : `The emulator could not listen on ${host}:${port}: ${error.message}`,
        ),
      );
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
