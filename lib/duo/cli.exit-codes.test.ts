/**
 * The CLI, spawned as users run it (tsx), against a local server that verifies signatures independently:
 * it prints Duo's response, distinguishes a Duo FAIL (1), a usage error (2), an unreachable host (3) and
 * a non-Duo answer (4), falls back to the emulator's address and keys when no DUO_* is set, and never
 * prints the secret key.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import http from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fail, ok, startSignatureCheckingServer, type TestDuoServer } from "../../test/support/signature-checking-server";
import { EXIT } from "./cli-args";

const IKEY = "DICLITESTXXXXXXXXXXX";
const SKEY = "clitestsecretclitestsecretclitestsecret0";
const CLI = path.join(import.meta.dirname, "cli.ts");

let server: TestDuoServer;
let port: number;
beforeAll(async () => {
  // The CLI signs the hostname of DUO_HOST: 127.0.0.1 here.
  server = await startSignatureCheckingServer({ ikey: IKEY, skey: SKEY, signedHost: "127.0.0.1" });
  port = Number(new URL(server.endpoint.origin).port);
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.handle(() => ok({ time: Math.floor(Date.now() / 1000) }));
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const base: Record<string, string | undefined> = {
    DUO_IKEY: IKEY,
    DUO_SKEY: SKEY,
    DUO_HOST: `http://127.0.0.1:${port}`,
    DUO_SIG_VERSION: undefined,
  };
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries({ ...base, ...env })) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", CLI, ...args], { env: merged }, (error, stdout, stderr) => {
      const code = error && typeof error.code === "number" ? error.code : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function expectNoSecret(result: Run) {
  expect(result.stdout + result.stderr).not.toContain(SKEY);
  expect(result.stdout + result.stderr).not.toContain("Basic ");
}

describe("duo CLI", () => {
  it("check: prints Duo's JSON response and exits 0", async () => {
    const result = await run(["check"]);
    expect(result.code).toBe(EXIT.OK);
    expect(JSON.parse(result.stdout)).toEqual({ time: expect.any(Number) });
    expect(result.stderr).toContain("accepted");
    expect(server.requests[0]?.signature).toEqual({ valid: true, version: 5, digest: "sha512" });
    expectNoSecret(result);
  });

  it("preauth: sends key=value parameters, unicode, empty values and '=' included", async () => {
    server.handle(() => ok({ result: "allow", status_msg: "ok" }));
    const result = await run(["preauth", "username=zoë smith", "hostname=", "ipaddr=1.2.3.4", "note=a=b&c"]);
    expect(result.code).toBe(EXIT.OK);
    expect(JSON.parse(result.stdout)).toEqual({ result: "allow", status_msg: "ok" });
    expect(server.requests[0]?.params.sort()).toEqual(
      [
        ["hostname", ""],
        ["ipaddr", "1.2.3.4"],
        ["note", "a=b&c"],
        ["username", "zoë smith"],
      ].sort(),
    );
  });

  it("--sig-version 2 --digest sha1 signs version 2 with HMAC-SHA1; DUO_SIG_VERSION is honoured too", async () => {
    expect((await run(["check", "--sig-version", "2", "--digest=sha1"])).code).toBe(EXIT.OK);
    expect(server.requests[0]?.signature).toEqual({ valid: true, version: 2, digest: "sha1" });
    expect((await run(["check"], { DUO_SIG_VERSION: "2" })).code).toBe(EXIT.OK);
    expect(server.requests[1]?.signature).toEqual({ valid: true, version: 2, digest: "sha512" });
  });

  it("--ikey/--skey/--host override the environment", async () => {
    const result = await run(["check", "--ikey", IKEY, "--skey", SKEY, "--host", `127.0.0.1:${port}`], { DUO_IKEY: "DIWRONG", DUO_SKEY: "wrong", DUO_HOST: "api-wrong.duosecurity.com" });
    // A bare host:port means https; the loopback test server speaks http, so give the scheme.
    expect(result.code).toBe(EXIT.UNREACHABLE);
    const withScheme = await run(["check", "--ikey", IKEY, "--skey", SKEY, "--host", `http://127.0.0.1:${port}`], { DUO_IKEY: "DIWRONG", DUO_SKEY: "wrong", DUO_HOST: "api-wrong.duosecurity.com" });
    expect(withScheme.code).toBe(EXIT.OK);
  });

  it("--method and --path call any path", async () => {
    const result = await run(["--path", "/auth/v2/check", "--method", "GET"]);
    expect(result.code).toBe(EXIT.OK);
    expect(server.requests[0]?.path).toBe("/auth/v2/check");
  });

  it("a Duo FAIL exits 1 with Duo's code and message, the envelope on stdout and a fix on stderr", async () => {
    server.handle(() => fail(403, 40301, "Access forbidden", "Wrong integration type for this API."));
    const result = await run(["check"]);
    expect(result.code).toBe(EXIT.DUO_FAIL);
    expect(JSON.parse(result.stdout)).toEqual({ stat: "FAIL", code: 40301, message: "Access forbidden", message_detail: "Wrong integration type for this API." });
    expect(result.stderr).toContain("Duo FAIL 40301 (HTTP 403): Access forbidden");
    expect(result.stderr).toContain("Auth API");
    expectNoSecret(result);
  });

  it("a wrong secret key is Duo's 40103, exit 1", async () => {
    const result = await run(["check"], { DUO_SKEY: "x".repeat(40) });
    expect(result.code).toBe(EXIT.DUO_FAIL);
    expect(result.stderr).toContain("40103");
    expect(result.stdout + result.stderr).not.toContain("x".repeat(40));
  });

  it.each([
    [["bogus"], "unknown endpoint"],
    [["preauth", "username"], "key=value"],
    [["check", "--sig-version", "3"], "--sig-version"],
    [["check", "--frobnicate"], "unknown option"],
    [[], "name an endpoint"],
  ])("usage error %j exits 2 and sends nothing", async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toContain(message);
    expect(server.requests).toHaveLength(0);
  });

  it("a partial configuration or a plain-http remote host is a usage error", async () => {
    const partial = await run(["check"], { DUO_IKEY: undefined, DUO_SKEY: undefined });
    expect(partial.code).toBe(EXIT.USAGE);
    expect(partial.stderr).toContain("DUO_IKEY");
    const plainHttp = await run(["check"], { DUO_HOST: "http://api-xxxxxxxx.duosecurity.com" });
    expect(plainHttp.code).toBe(EXIT.USAGE);
    expect(plainHttp.stderr).toContain("http://");
    expect(server.requests).toHaveLength(0);
  });

  it("an unreachable host exits 3", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await run(["check"], { DUO_HOST: `http://127.0.0.1:${freePort}` });
    expect(result.code).toBe(EXIT.UNREACHABLE);
    expect(result.stderr).toContain("ECONNREFUSED");
  });

  it("a timeout exits 3", async () => {
    server.handle(() => ({ kind: "hang" }));
    const result = await run(["check", "--timeout", "0.2"]);
    expect(result.code).toBe(EXIT.UNREACHABLE);
    expect(result.stderr).toContain("200 ms");
  });

  it("an answer that is not Duo's exits 4", async () => {
    server.handle(() => ({ kind: "raw", contentType: "text/html", body: "<html>proxy</html>" }));
    expect((await run(["check"])).code).toBe(EXIT.UNEXPECTED_ANSWER);
  });

  it("logo: writes the image to --out, or reports its type and size", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9]);
    server.handle(() => ({ kind: "raw", contentType: "image/png", body: png }));
    const out = path.join(mkdtempSync(path.join(tmpdir(), "duo-cli-")), "logo.png");
    const saved = await run(["logo", "--out", out]);
    expect(saved.code).toBe(EXIT.OK);
    expect(readFileSync(out).equals(png)).toBe(true);
    const reported = await run(["logo"]);
    expect(JSON.parse(reported.stdout)).toEqual({ mediaType: "image/png", bytes: png.length });
  });

  it("with no DUO_* variables, uses the emulator's address and keys and says so", async () => {
    const result = await run(["check"], {
      DUO_IKEY: undefined,
      DUO_SKEY: undefined,
      DUO_HOST: undefined,
      DUO_EMULATOR_PORT: String(port),
      DUO_EMULATOR_IKEY: IKEY,
      DUO_EMULATOR_SKEY: SKEY,
    });
    expect(result.code).toBe(EXIT.OK);
    expect(result.stderr).toContain("built-in emulator");
    expect(server.requests[0]?.signature.valid).toBe(true);
  });

  it("--help explains real Duo, the emulator and the exit codes", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(EXIT.OK);
    expect(result.stdout).toContain("Against real Duo");
    expect(result.stdout).toContain("npm run emulator");
    for (const code of Object.values(EXIT)) expect(result.stdout).toMatch(new RegExp(`^  ${code}\\s`, "m"));
  });
});
