/**
 * Command-line parsing for lib/duo/cli.ts, kept pure so it can be read (and tested) apart from I/O.
 */
import { AUTH_API_PATHS } from "./client";
import { type SignatureDigest, type SignatureVersion } from "./signing";
import { type DateHeaderName, type HttpMethod } from "./transport";

/** Exit codes, documented in --help. */
export const EXIT = {
  OK: 0,
  /** Duo answered with a FAIL envelope (its code and message are printed). */
  DUO_FAIL: 1,
  /** Bad arguments or configuration; nothing was sent. */
  USAGE: 2,
  /** No connection or no answer in time. */
  UNREACHABLE: 3,
  /** Something answered, but not like Duo. */
  UNEXPECTED_ANSWER: 4,
  /** A bug in this tool. */
  INTERNAL: 70,
  /** Interrupted (Ctrl-C). */
  INTERRUPTED: 130,
} as const;

export const ENDPOINTS: Record<string, { method: HttpMethod; path: string }> = {
  ping: { method: "GET", path: AUTH_API_PATHS.ping },
  check: { method: "GET", path: AUTH_API_PATHS.check },
  logo: { method: "GET", path: AUTH_API_PATHS.logo },
  enroll: { method: "POST", path: AUTH_API_PATHS.enroll },
  enroll_status: { method: "POST", path: AUTH_API_PATHS.enrollStatus },
  preauth: { method: "POST", path: AUTH_API_PATHS.preauth },
  auth: { method: "POST", path: AUTH_API_PATHS.auth },
  auth_status: { method: "GET", path: AUTH_API_PATHS.authStatus },
};

export interface CliArgs {
  help: boolean;
  /** The endpoint name as typed, or null with --path alone. */
  endpoint: string | null;
  method: HttpMethod;
  path: string;
  params: Array<[string, string]>;
  ikey?: string;
  skey?: string;
  host?: string;
  sigVersion?: SignatureVersion;
  digest?: SignatureDigest;
  dateHeader?: DateHeaderName;
  out?: string;
  timeoutMs?: number;
}

export type ParseResult = { ok: true; args: CliArgs } | { ok: false; message: string };

const VALUE_FLAGS = new Set(["--ikey", "--skey", "--host", "--sig-version", "--digest", "--date-header", "--method", "--path", "--out", "--timeout"]);

export function parseCliArgs(argv: readonly string[]): ParseResult {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (!VALUE_FLAGS.has(name)) return { ok: false, message: `unknown option ${name}` };
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) return { ok: false, message: `${name} needs a value` };
      flags.set(name, value);
      continue;
    }
    positional.push(arg);
  }
  if (help) return { ok: true, args: { help, endpoint: null, method: "GET", path: "", params: [] } };

  const pathFlag = flags.get("--path");
  const [first, ...rest] = positional;
  const endpoint = first !== undefined && !first.includes("=") ? first.replace(/-/g, "_") : null;
  const paramArgs = endpoint === null ? positional : rest;
  const known = endpoint === null ? undefined : ENDPOINTS[endpoint];
  if (endpoint !== null && !known && pathFlag === undefined) {
    return { ok: false, message: `unknown endpoint "${first}" (known: ${Object.keys(ENDPOINTS).join(", ")}; or give --path and --method)` };
  }
  if (endpoint === null && pathFlag === undefined) return { ok: false, message: "name an endpoint, e.g. `check`, or give --path" };

  const params: Array<[string, string]> = [];
  for (const item of paramArgs) {
    const eq = item.indexOf("=");
    if (eq <= 0) return { ok: false, message: `parameters are key=value, got "${item}"` };
    params.push([item.slice(0, eq), item.slice(eq + 1)]);
  }

  const path = pathFlag ?? known?.path ?? "";
  if (!path.startsWith("/")) return { ok: false, message: `--path must start with /, got "${path}"` };
  const methodFlag = flags.get("--method")?.toUpperCase();
  if (methodFlag !== undefined && methodFlag !== "GET" && methodFlag !== "POST") return { ok: false, message: "--method is GET or POST" };
  const method: HttpMethod = methodFlag ?? known?.method ?? "GET";

  const args: CliArgs = { help, endpoint, method, path, params };
  for (const [flag, key] of [["--ikey", "ikey"], ["--skey", "skey"], ["--host", "host"], ["--out", "out"]] as const) {
    const value = flags.get(flag);
    if (value !== undefined) args[key] = value;
  }

  const sigVersion = flags.get("--sig-version");
  if (sigVersion !== undefined) {
    if (sigVersion !== "2" && sigVersion !== "5") return { ok: false, message: "--sig-version is 2 or 5" };
    args.sigVersion = sigVersion === "2" ? 2 : 5;
  }
  const digest = flags.get("--digest")?.toLowerCase();
  if (digest !== undefined) {
    if (digest !== "sha1" && digest !== "sha512") return { ok: false, message: "--digest is sha512 or sha1" };
    args.digest = digest;
  }
  const dateHeader = flags.get("--date-header")?.toLowerCase();
  if (dateHeader !== undefined) {
    if (dateHeader !== "date" && dateHeader !== "x-duo-date") return { ok: false, message: "--date-header is Date or X-Duo-Date" };
    args.dateHeader = dateHeader === "date" ? "Date" : "X-Duo-Date";
  }
  const timeout = flags.get("--timeout");
  if (timeout !== undefined) {
    const seconds = Number(timeout);
    if (!(seconds > 0)) return { ok: false, message: "--timeout is a number of seconds" };
    args.timeoutMs = Math.round(seconds * 1000);
  }
  return { ok: true, args };
}

export const HELP = `Call Duo's Auth API from the command line — this project's \`python -m duo_client.client\`.

Usage:
  npm run duo -- <endpoint> [key=value ...] [options]

Endpoints (method and path are filled in):
  ping                      GET  /auth/v2/ping          liveness and Duo's time (signature not checked)
  check                     GET  /auth/v2/check         are the keys, signature and clock right?
  logo                      GET  /auth/v2/logo          the account logo (--out FILE to save it)
  enroll                    POST /auth/v2/enroll        [username=…] [valid_secs=…]
  enroll_status             POST /auth/v2/enroll_status user_id=… activation_code=…
  preauth                   POST /auth/v2/preauth       username=… | user_id=…  [ipaddr=…] …
  auth                      POST /auth/v2/auth          username=… factor=push device=auto [async=1] …
  auth_status               GET  /auth/v2/auth_status   txid=…

Parameters are key=value (repeat a key to send it twice; key= sends an empty value). Quote values with
spaces for your shell: pushinfo='from=login portal'.

Options:
  --ikey KEY                integration key          (default: $DUO_IKEY)
  --skey KEY                secret key               (default: $DUO_SKEY)
  --host HOST               API hostname or URL      (default: $DUO_HOST)
  --sig-version 2|5         signature version        (default: $DUO_SIG_VERSION, else 5)
  --digest sha512|sha1      HMAC digest for version 2 (default sha512)
  --date-header Date|X-Duo-Date                      (default Date)
  --method GET|POST         override the endpoint's method
  --path /auth/v2/…         override the endpoint's path (any signed Auth API call)
  --out FILE                logo: write the image to FILE (otherwise its type and size are printed)
  --timeout SECONDS         per attempt (default 10; 90 for a synchronous auth and for auth_status)
  -h, --help                this text

Against real Duo:
  Create an "Auth API" application in the Duo Admin Panel (Applications → Protect an Application) and
  export its keys:
    DUO_IKEY=DI… DUO_SKEY=… DUO_HOST=api-xxxxxxxx.duosecurity.com npm run duo -- check
  Keys of an Admin API application fail with 40301.

Against the built-in emulator:
  With DUO_IKEY, DUO_SKEY and DUO_HOST all unset, the tool talks to the emulator, exactly as the app
  does: http://127.0.0.1:$DUO_EMULATOR_PORT (default 3100), with the keys in $DUO_EMULATOR_DATA/keys.json
  (default data/duo-emulator) or $DUO_EMULATOR_IKEY/$DUO_EMULATOR_SKEY. Start it first:
    npm run emulator            # in another terminal
    npm run duo -- preauth username=alice

Output:
  The JSON \`response\` on stdout. On a Duo FAIL, the FAIL envelope on stdout and Duo's code, message
  and a suggested fix on stderr. The secret key and the Authorization header are never printed.

Exit codes:
  0    success
  1    Duo answered FAIL (e.g. 40103 invalid signature, 40301 wrong integration type)
  2    usage or configuration error; nothing was sent
  3    Duo unreachable: connection failed or no answer in time
  4    something answered, but not like Duo (not JSON, wrong Content-Type, truncated)
  70   internal error in this tool
  130  interrupted
`;
