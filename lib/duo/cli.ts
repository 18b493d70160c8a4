/**
 * `npm run duo -- <endpoint> [key=value ...]`: signed calls to Duo's Auth API (or the built-in emulator)
 * from a terminal. See HELP in cli-args.ts for usage and exit codes.
 */
import { writeFileSync } from "node:fs";
import { DuoClient, type DuoClientOptions } from "./client";
import { EXIT, HELP, parseCliArgs, type CliArgs } from "./cli-args";
import { type DuoFailure, type DuoResult } from "./errors";
import { explainDuoFailure } from "./explain";
import { parseDuoHost } from "./host";
import { emulatorDataDir, emulatorKeys, emulatorPort } from "../emulator/settings";

/** `fallback`: no DUO_* configuration, so the built-in emulator. */
type Target = { ok: true; options: DuoClientOptions; emulator: boolean; fallback: boolean } | { ok: false; message: string };

/** Flags first, then DUO_* variables; with none of the three, the emulator — as the app does. */
function resolveTarget(args: CliArgs, env: NodeJS.ProcessEnv): Target {
  const set = (value: string | undefined) => (value === undefined || value === "" ? undefined : value);
  const ikey = set(args.ikey) ?? set(env.DUO_IKEY);
  const skey = set(args.skey) ?? set(env.DUO_SKEY);
  const host = set(args.host) ?? set(env.DUO_HOST);
  const envVersion = set(env.DUO_SIG_VERSION);
  if (args.sigVersion === undefined && envVersion !== undefined && envVersion !== "2" && envVersion !== "5") {
    return { ok: false, message: `DUO_SIG_VERSION must be 2 or 5, got "${envVersion}"` };
  }
  const common = {
    sigVersion: args.sigVersion ?? (envVersion === "2" ? 2 : 5),
    ...(args.digest ? { digest: args.digest } : {}),
    ...(args.dateHeader ? { dateHeader: args.dateHeader } : {}),
  } as const;

  if (ikey === undefined && skey === undefined && host === undefined) {
    try {
      const keys = emulatorKeys(env);
      const parsed = parseDuoHost(`http://127.0.0.1:${emulatorPort(env)}`);
      if (!parsed.ok) return { ok: false, message: `emulator address ${parsed.reason}` };
      return { ok: true, emulator: true, fallback: true, options: { ...keys, endpoint: parsed.endpoint, ...common } };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }
  const missing = [
    ["DUO_IKEY (--ikey)", ikey],
    ["DUO_SKEY (--skey)", skey],
    ["DUO_HOST (--host)", host],
  ]
    .filter(([, value]) => value === undefined)
    .map(([name]) => name);
  if (missing.length > 0) return { ok: false, message: `${missing.join(" and ")} missing: give all three, or none to use the emulator` };
  const parsed = parseDuoHost(host ?? "");
  if (!parsed.ok) return { ok: false, message: `DUO_HOST ${parsed.reason}` };
  return { ok: true, emulator: parsed.endpoint.loopback, fallback: false, options: { ikey: ikey ?? "", skey: skey ?? "", endpoint: parsed.endpoint, ...common } };
}

function reportFailure(error: DuoFailure, emulator: boolean): number {
  const problem = explainDuoFailure(error, { emulator });
  if (error.kind === "api") {
    // The FAIL envelope as Duo sent it, for scripts; the explanation for people.
    const envelope = { stat: "FAIL", code: error.code, message: error.message, ...(error.messageDetail === undefined ? {} : { message_detail: error.messageDetail }) };
    console.log(JSON.stringify(envelope, null, 2));
    console.error(`Duo FAIL ${error.code} (HTTP ${error.httpStatus}): ${error.message}${error.messageDetail ? ` — ${error.messageDetail}` : ""}`);
  }
  console.error(problem.summary);
  console.error(`Fix: ${problem.fix}`);
  switch (error.kind) {
    case "api":
      return EXIT.DUO_FAIL;
    case "network":
    case "timeout":
      return EXIT.UNREACHABLE;
    case "protocol":
      return EXIT.UNEXPECTED_ANSWER;
    case "aborted":
      return EXIT.INTERRUPTED;
  }
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) {
    console.error(`duo: ${parsed.message}\nRun \`npm run duo -- --help\` for usage.`);
    return EXIT.USAGE;
  }
  const args = parsed.args;
  if (args.help) {
    console.log(HELP);
    return EXIT.OK;
  }
  const target = resolveTarget(args, env);
  if (!target.ok) {
    console.error(`duo: ${target.message}`);
    return EXIT.USAGE;
  }
  if (target.fallback) {
    console.error(
      `duo: DUO_IKEY, DUO_SKEY and DUO_HOST are unset: using the built-in emulator at ${target.options.endpoint.origin} ` +
        `(keys from ${emulatorDataDir(env)}/keys.json or DUO_EMULATOR_IKEY/SKEY). Start it with \`npm run emulator\`.`,
    );
  }

  const duo = new DuoClient(target.options);
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const options = { signal: controller.signal, ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}) };

  if (args.path === "/auth/v2/logo") {
    const logo = await duo.requestImage(args.method, args.path, args.params, options);
    if (!logo.ok) return reportFailure(logo.error, target.emulator);
    if (args.out) {
      writeFileSync(args.out, logo.value.bytes);
      console.error(`duo: wrote ${logo.value.bytes.byteLength} bytes to ${args.out}`);
    }
    console.log(JSON.stringify({ mediaType: logo.value.mediaType, bytes: logo.value.bytes.byteLength, ...(args.out ? { file: args.out } : {}) }, null, 2));
    return EXIT.OK;
  }

  const requestedAt = Date.now();
  const result: DuoResult<unknown> = await duo.request(args.method, args.path, args.params, options);
  if (!result.ok) return reportFailure(result.error, target.emulator);
  console.log(JSON.stringify(result.value, null, 2));
  if (args.path === "/auth/v2/check") reportClock(result.value, requestedAt, duo.sigVersion);
  return EXIT.OK;
}

function reportClock(response: unknown, requestedAt: number, sigVersion: number): void {
  if (typeof response !== "object" || response === null || !("time" in response) || typeof response.time !== "number") return;
  const skewSeconds = Math.round(response.time - (requestedAt + Date.now()) / 2 / 1000);
  console.error(`duo: keys and signature (v${sigVersion}) accepted; Duo's clock minus ours: ${skewSeconds} s.`);
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only a bug lands here (failures are values); say so without dumping request details.
    console.error(`duo: internal error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT.INTERNAL;
  },
);
