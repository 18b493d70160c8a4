/**
 * Benchmark of the Duo emulator: requests per second for /preauth and /auth_status (autocannon, in a
 * worker thread so the load generator does not share the emulator's event loop), memory and snapshot
 * cost with 10,000 users, and the long-poll wake-up latency — from answering a push to the held
 * /auth_status response arriving at the client (target: median under 10 ms on loopback).
 *
 *   npx tsx bench/emulator.ts
 *
 * The load uses one pre-signed request (its date stays inside the 300 s skew window for the run).
 */
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { authorizationHeader, canonicalize, formatRequestDate, signCanonical } from "../lib/duo/signing";
import { createUserWithDevices } from "../lib/emulator/core/admin";
import { answerTransaction } from "../lib/emulator/core/phone-actions";
import { startEmulator, type RunningEmulator } from "../lib/emulator/server";
import { round, summarize } from "./support/stats";

export interface EmulatorBenchmark {
  node: string;
  users: number;
  requestsPerSecond: { preauth: number; authStatus: number; preauthLatencyP99Ms: number; authStatusLatencyP99Ms: number; non2xx: number; baselinePing: number };
  memory: { rssMb: number; heapUsedMb: number; rssPerThousandUsersMb: number; heapPerThousandUsersMb: number; createUsersMs: number };
  snapshot: { bytes: number; serializeMs: number; restartWithStateMs: number };
  longPollWake: { samples: number; medianMs: number; p95Ms: number; maxMs: number; baselinePingMedianMs: number };
}

export interface EmulatorBenchmarkOptions {
  users?: number;
  durationSeconds?: number;
  connections?: number;
  wakeSamples?: number;
}

const MB = 1024 * 1024;

/** A signed v5 request, as a Duo client sends it. */
function signed(emulator: RunningEmulator, method: "GET" | "POST", route: string, params: Record<string, string>) {
  const date = formatRequestDate(new Date());
  const body = method === "POST" ? JSON.stringify(params) : "";
  const query = method === "GET" ? new URLSearchParams(params).toString() : "";
  const canonical = canonicalize(5, { date, method, host: emulator.apiHost, path: route, params: method === "GET" ? params : {}, body });
  const headers: Record<string, string> = { Date: date, Authorization: authorizationHeader(emulator.ikey, signCanonical(emulator.skey, canonical, "sha512")) };
  if (method === "POST") headers["Content-Type"] = "application/json";
  return { url: `${emulator.url}${route}${query ? `?${query}` : ""}`, method, headers, body: body || undefined };
}

function send(request: ReturnType<typeof signed>, agent: http.Agent): Promise<{ status: number; text: string; endedAt: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(request.url, { method: request.method, headers: request.headers, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text, endedAt: performance.now() }));
    });
    req.on("error", reject);
    req.end(request.body);
  });
}

async function load(request: ReturnType<typeof signed>, durationSeconds: number, connections: number) {
  const result = await autocannon({ ...request, duration: durationSeconds, connections, workers: 1 });
  return { rps: Math.round(result.requests.average), p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect) collect();
}

export async function runEmulatorBenchmark(options: EmulatorBenchmarkOptions = {}): Promise<EmulatorBenchmark> {
  const users = options.users ?? 10_000;
  const duration = options.durationSeconds ?? 5;
  const connections = options.connections ?? 10;
  const wakeSamples = options.wakeSamples ?? 100;
  const dataDir = mkdtempSync(path.join(tmpdir(), "duo-emulator-bench-"));
  let emulator = await startEmulator({ port: 0, dataDir, policy: { longPollSeconds: 30 } });
  try {
    const context = emulator.context;
    gc();
    const before = process.memoryUsage();
    const createStarted = performance.now();
    for (let i = 0; i < users; i++) {
      createUserWithDevices(context, { username: `bench-user-${i}`, devices: [{ type: "phone" }] });
    }
    const createUsersMs = performance.now() - createStarted;
    gc();
    const after = process.memoryUsage();

    const serializeStarted = performance.now();
    const text = JSON.stringify(context.store.snapshot(Date.now()));
    const serializeMs = performance.now() - serializeStarted;

    const preauth = await load(signed(emulator, "POST", "/auth/v2/preauth", { username: "bench-user-42", ipaddr: "203.0.113.1" }), duration, connections);

    // Baseline: /ping, which checks no signature and reads no user.
    const pingRequest = { url: `${emulator.url}/auth/v2/ping`, method: "GET" as const, headers: {}, body: undefined };
    const ping = await load(pingRequest, duration, connections);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const passcodeTx = JSON.parse(
      (await send(signed(emulator, "POST", "/auth/v2/auth", { username: "bench-user-7", factor: "passcode", passcode: "000000", async: "1" }), agent)).text,
    ) as { response: { txid: string } };
    const authStatus = await load(signed(emulator, "GET", "/auth/v2/auth_status", { txid: passcodeTx.response.txid }), duration, connections);

    const wake: number[] = [];
    for (let i = 0; i < wakeSamples; i++) {
      const username = `bench-user-${1000 + i}`;
      const started = JSON.parse((await send(signed(emulator, "POST", "/auth/v2/auth", { username, factor: "push", device: "auto", async: "1" }), agent)).text) as {
        response: { txid: string };
      };
      const txid = started.response.txid;
      const status = signed(emulator, "GET", "/auth/v2/auth_status", { txid });
      await send(status, agent); // takes the `pushed` update, so the next poll is held
      const held = send(status, agent);
      // Let the held request reach the emulator and park before answering.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const answeredAt = performance.now();
      answerTransaction(context, txid, "approve", null);
      const { endedAt, text: answer } = await held;
      if (!answer.includes('"allow"')) throw new Error(`the held poll returned ${answer}`);
      wake.push(endedAt - answeredAt);
    }
    const pingTimes: number[] = [];
    for (let i = 0; i < wakeSamples; i++) {
      const started = performance.now();
      await send(pingRequest, agent);
      pingTimes.push(performance.now() - started);
    }
    agent.destroy();
    const wakeSummary = summarize(wake);

    await emulator.close();
    const restartStarted = performance.now();
    emulator = await startEmulator({ port: 0, dataDir });
    const restartWithStateMs = performance.now() - restartStarted;

    return {
      node: process.version,
      users,
      requestsPerSecond: {
        preauth: preauth.rps,
        authStatus: authStatus.rps,
        preauthLatencyP99Ms: preauth.p99,
        authStatusLatencyP99Ms: authStatus.p99,
        non2xx: preauth.non2xx + authStatus.non2xx,
        baselinePing: ping.rps,
      },
      memory: {
        rssMb: round(after.rss / MB, 1),
        heapUsedMb: round(after.heapUsed / MB, 1),
        rssPerThousandUsersMb: round(((after.rss - before.rss) / MB / users) * 1000, 2),
        heapPerThousandUsersMb: round(((after.heapUsed - before.heapUsed) / MB / users) * 1000, 2),
        createUsersMs: round(createUsersMs, 0),
      },
      snapshot: { bytes: Buffer.byteLength(text), serializeMs: round(serializeMs, 1), restartWithStateMs: round(restartWithStateMs, 0) },
      longPollWake: { samples: wakeSummary.n, medianMs: round(wakeSummary.median, 2), p95Ms: round(wakeSummary.p95, 2), maxMs: round(wakeSummary.max, 2), baselinePingMedianMs: round(summarize(pingTimes).median, 2) },
    };
  } finally {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runEmulatorBenchmark();
  console.info(`Duo emulator benchmark (Node ${result.node}, ${result.users} users)\n`);
  console.info("Requests per second (autocannon, 10 connections, one pre-signed v5 request)");
  console.table({
    "/auth/v2/preauth": { "req/s": result.requestsPerSecond.preauth, "p99 ms": result.requestsPerSecond.preauthLatencyP99Ms },
    "/auth/v2/auth_status (final)": { "req/s": result.requestsPerSecond.authStatus, "p99 ms": result.requestsPerSecond.authStatusLatencyP99Ms },
  });
  if (result.requestsPerSecond.non2xx > 0) console.info(`non-2xx or errors: ${result.requestsPerSecond.non2xx}`);
  console.info(`Memory with ${result.users} users (each with a phone): RSS ${result.memory.rssMb} MB, heap ${result.memory.heapUsedMb} MB`);
  console.info(`  per 1,000 users: RSS +${result.memory.rssPerThousandUsersMb} MB, heap +${result.memory.heapPerThousandUsersMb} MB; created in ${result.memory.createUsersMs} ms`);
  console.info(`Snapshot: ${round(result.snapshot.bytes / MB, 1)} MB, serialised in ${result.snapshot.serializeMs} ms; restart with that state: ${result.snapshot.restartWithStateMs} ms`);
  console.info(
    `Long-poll wake-up (answer → held /auth_status response at the client), ${result.longPollWake.samples} samples: median ${result.longPollWake.medianMs} ms, p95 ${result.longPollWake.p95Ms} ms, max ${result.longPollWake.maxMs} ms`,
  );
}
