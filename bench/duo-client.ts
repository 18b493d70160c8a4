/**
 * Benchmark of the Duo client: signatures per second (v2 HMAC-SHA1, v2 HMAC-SHA512, v5), and the
 * client's overhead over a bare `fetch` to the same local server, measured in the same run (signing,
 * headers, body, envelope and zod parsing). Target: under 1 ms added per call.
 *
 *   npx tsx bench/duo-client.ts
 *
 * Each figure is the median of several runs after a warm-up; bare and client runs alternate so drift
 * (GC, CPU frequency) hits both alike. Calls are sequential: this measures latency added, not throughput.
 */
import http from "node:http";
import { type AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { DuoClient } from "../lib/duo/client";
import { defaultSleep, signRequest, type TransportSettings } from "../lib/duo/transport";

export interface DuoClientBenchmark {
  node: string;
  runs: number;
  signaturesPerSecond: { v2Sha1: number; v2Sha512: number; v5: number };
  overhead: Array<{
    call: string;
    bareFetchMsPerCall: number;
    clientMsPerCall: number;
    addedMsPerCall: number;
    ratio: number;
  }>;
  callsPerRun: number;
}

export interface BenchmarkOptions {
  runs?: number;
  signaturesPerRun?: number;
  callsPerRun?: number;
}

const IKEY = "DIXXXXXXXXXXXXXXXXXX";
const SKEY = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
const DATE = "Tue, 21 Aug 2012 17:29:18 GMT";
/** A typical /auth call's parameters. */
const AUTH_PARAMS: Array<[string, string]> = [
  ["username", "alice@example.com"],
  ["factor", "push"],
  ["device", "auto"],
  ["ipaddr", "203.0.113.7"],
  ["pushinfo", "from=login%20portal&domain=example.com"],
  ["async", "1"],
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function settings(sigVersion: 2 | 5, digest: "sha1" | "sha512", origin = "https://api-xxxxxxxx.duosecurity.com"): TransportSettings {
  return {
    ikey: IKEY,
    skey: SKEY,
    endpoint: { origin, signedHost: "api-xxxxxxxx.duosecurity.com", loopback: false },
    sigVersion,
    digest,
    dateHeader: "Date",
    fetch: globalThis.fetch,
    clock: Date.now,
    sleep: defaultSleep,
    random: Math.random,
    maxBackoffSeconds: 32,
  };
}

function signaturesPerSecond(config: TransportSettings, count: number, runs: number): number {
  const request = { method: "POST" as const, path: "/auth/v2/auth", params: AUTH_PARAMS };
  for (let i = 0; i < Math.min(count, 2_000); i++) signRequest(config, request, DATE);
  const rates: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) signRequest(config, request, DATE);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(count / seconds);
  }
  return Math.round(median(rates));
}

async function startServer(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const response = req.url?.startsWith("/auth/v2/auth") ? { txid: "f50324f8-42ce-419d-8403-ed6b78e72d44" } : { time: Math.floor(Date.now() / 1000) };
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ stat: "OK", response }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function timePerCall(calls: number, call: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await call();
  return Number(process.hrtime.bigint() - start) / 1e6 / calls;
}

export async function runDuoClientBenchmark(options: BenchmarkOptions = {}): Promise<DuoClientBenchmark> {
  const runs = options.runs ?? 5;
  const signatures = options.signaturesPerRun ?? 20_000;
  const calls = options.callsPerRun ?? 1_000;

  const signaturesPerSecondResult = {
    v2Sha1: signaturesPerSecond(settings(2, "sha1"), signatures, runs),
    v2Sha512: signaturesPerSecond(settings(2, "sha512"), signatures, runs),
    v5: signaturesPerSecond(settings(5, "sha512"), signatures, runs),
  };

  const server = await startServer();
  try {
    const duo = new DuoClient({ ikey: IKEY, skey: SKEY, endpoint: { origin: server.origin, signedHost: "api-xxxxxxxx.duosecurity.com", loopback: true } });
    const cases: Array<{ call: string; bare: () => Promise<unknown>; client: () => Promise<unknown> }> = [
      {
        call: "GET /auth/v2/check",
        bare: async () => (await fetch(`${server.origin}/auth/v2/check`)).json(),
        client: () => duo.check(),
      },
      {
        call: "POST /auth/v2/auth (async push)",
        bare: async () =>
          (
            await fetch(`${server.origin}/auth/v2/auth`, {
              method: "POST",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify(Object.fromEntries(AUTH_PARAMS)),
            })
          ).json(),
        client: () => duo.auth({ username: "alice@example.com", factor: "push", ipaddr: "203.0.113.7", pushinfo: { from: "login portal", domain: "example.com" }, async: true }),
      },
    ];

    const overhead: DuoClientBenchmark["overhead"] = [];
    for (const { call, bare, client } of cases) {
      await timePerCall(Math.min(calls, 300), bare);
      await timePerCall(Math.min(calls, 300), client);
      const bareTimes: number[] = [];
      const clientTimes: number[] = [];
      for (let run = 0; run < runs; run++) {
        // Alternate which goes first, so warm-up and drift favour neither.
        if (run % 2 === 0) {
          bareTimes.push(await timePerCall(calls, bare));
          clientTimes.push(await timePerCall(calls, client));
        } else {
          clientTimes.push(await timePerCall(calls, client));
          bareTimes.push(await timePerCall(calls, bare));
        }
      }
      const bareMs = median(bareTimes);
      const clientMs = median(clientTimes);
      overhead.push({
        call,
        bareFetchMsPerCall: round(bareMs, 4),
        clientMsPerCall: round(clientMs, 4),
        addedMsPerCall: round(clientMs - bareMs, 4),
        ratio: round(clientMs / bareMs, 3),
      });
    }
    return { node: process.version, runs, signaturesPerSecond: signaturesPerSecondResult, overhead, callsPerRun: calls };
  } finally {
    await server.close();
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runDuoClientBenchmark();
  console.info(`Duo client benchmark (Node ${result.node}, median of ${result.runs} runs)\n`);
  console.info("Signatures per second (full signed request: canonical string, HMAC, header, body)");
  console.table({
    "v2 HMAC-SHA1": result.signaturesPerSecond.v2Sha1,
    "v2 HMAC-SHA512": result.signaturesPerSecond.v2Sha512,
    "v5 HMAC-SHA512": result.signaturesPerSecond.v5,
  });
  console.info(`Client overhead over a bare fetch to the same local server (${result.callsPerRun} sequential calls per run)`);
  console.table(
    Object.fromEntries(
      result.overhead.map((row) => [row.call, { "bare fetch ms/call": row.bareFetchMsPerCall, "client ms/call": row.clientMsPerCall, "added ms/call": row.addedMsPerCall, ratio: row.ratio }]),
    ),
  );
}
