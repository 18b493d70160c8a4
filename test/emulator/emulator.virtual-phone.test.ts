/**
 * The virtual Duo Mobile page: server-rendered, no inline script (a strict CSP), escaped input; it adds
 * an account from an activation code, shows a pending push with its context, answers it, and tells the
 * page to refresh through its event stream. Other sites cannot drive it.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../lib/emulator/server";
import { control, duoRequest, okResponse, rawRequest, startTestEmulator, userWithPhone } from "./helpers";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ policy: { verifiedPush: true } });
});
afterAll(() => emulator.close());

const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  rawRequest(emulator.port, { method: "POST", path, headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(fields).toString() });

describe("the page", () => {
  it("is HTML under a strict CSP, with scripts only from files, and escapes what it echoes", async () => {
    const response = await rawRequest(emulator.port, { method: "GET", path: `/phone?activation=${encodeURIComponent('"><script>alert(1)</script>')}` });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(response.headers["content-security-policy"]).not.toContain("unsafe-inline");
    expect(response.text).not.toContain("<script>alert(1)</script>");
    for (const tag of response.text.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/src="\/phone\/phone\.js"/);
    expect(response.text).toContain('aria-live="assertive"');
    expect(response.text).toContain('<label for="activation_code">');
    expect(response.text).toContain('name="viewport"');
  });

  it("serves its script and styles", async () => {
    const script = await rawRequest(emulator.port, { method: "GET", path: "/phone/phone.js" });
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.text).toContain("EventSource");
    const styles = await rawRequest(emulator.port, { method: "GET", path: "/phone/phone.css" });
    expect(styles.headers["content-type"]).toBe("text/css; charset=utf-8");
  });
});

describe("using the phone", () => {
  it("adds an account from a pasted activation code, without JavaScript (post, then 303 back)", async () => {
    const enrolled = okResponse<{ activation_code: string; user_id: string }>(await duoRequest(emulator, "POST", "/auth/v2/enroll", { username: "phone-user" }));
    const added = await form("/phone/activate", { activation_code: enrolled.activation_code });
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe("/phone?notice=added");
    expect(okResponse(await duoRequest(emulator, "POST", "/auth/v2/enroll_status", { user_id: enrolled.user_id, activation_code: enrolled.activation_code }))).toBe("success");
    const fragment = await rawRequest(emulator.port, { method: "GET", path: "/phone/fragment" });
    expect(fragment.text).toContain("phone-user");
    expect(fragment.text).toMatch(/<output[^>]*>\d{6}<\/output>/);
  });

  it("shows a pending push with its context and approves it (the script's JSON path)", async () => {
    await userWithPhone(emulator, "pushed-user");
    const { txid } = okResponse<{ txid: string }>(
      await duoRequest(emulator, "POST", "/auth/v2/auth", { username: "pushed-user", factor: "push", device: "auto", async: "1", pushinfo: "app=<b>Demo</b>", hostname: "laptop" }),
    );
    const fragment = await rawRequest(emulator.port, { method: "GET", path: "/phone/fragment" });
    expect(fragment.text).toContain(`data-txid="${txid}"`);
    expect(fragment.text).toContain("&#60;b&#62;Demo&#60;/b&#62;");
    expect(fragment.text).toContain("laptop");
    const answered = await form("/phone/answer", { txid, answer: "approve" }, { "X-Phone-Fetch": "1" });
    expect(answered.json).toEqual({ notice: "approved", message: "Approved." });
    expect((await control(emulator, "GET", `/transactions/${txid}`)).json).toMatchObject({ result: "allow" });
  });

  it("asks for the Verified Push code before approving", async () => {
    await userWithPhone(emulator, "verified-phone");
    const pre = okResponse<{ txid: string; verification_code: string }>(await duoRequest(emulator, "POST", "/auth/v2/preauth", { username: "verified-phone", client_supports_verified_push: "1" }));
    okResponse(await duoRequest(emulator, "POST", "/auth/v2/auth", { username: "verified-phone", factor: "push", device: "auto", async: "1", txid: pre.txid }));
    const fragment = await rawRequest(emulator.port, { method: "GET", path: "/phone/fragment" });
    expect(fragment.text).toContain(`id="vc-${pre.txid}"`);
    expect((await form("/phone/answer", { txid: pre.txid, answer: "approve" })).headers.location).toBe("/phone?notice=code_required");
    expect((await form("/phone/answer", { txid: pre.txid, answer: "approve", verification_code: pre.verification_code })).headers.location).toBe("/phone?notice=approved");
  });

  it("tells an open page that something changed (Server-Sent Events)", async () => {
    await userWithPhone(emulator, "streamed");
    const received = new Promise<string>((resolve, reject) => {
      const request = http.get({ host: "127.0.0.1", port: emulator.port, path: "/phone/events" }, (response) => {
        expect(response.headers["content-type"]).toBe("text/event-stream");
        let text = "";
        response.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes("event: change")) {
            request.destroy();
            resolve(text);
          }
        });
        void duoRequest(emulator, "POST", "/auth/v2/auth", { username: "streamed", factor: "push", device: "auto", async: "1" });
      });
      request.on("error", (error) => (error.message.includes("aborted") ? undefined : reject(error)));
    });
    expect(await received).toContain("event: change");
  });

  it("refuses a post from another site", async () => {
    const response = await form("/phone/answer", { txid: "x", answer: "approve" }, { Origin: "https://evil.example" });
    expect(response.status).toBe(403);
  });
});

describe("the enrollment portal", () => {
  it("opens once from /preauth's enroll_portal_url and shows the QR code and the phone link", async () => {
    const pre = okResponse<{ enroll_portal_url: string }>(await duoRequest(emulator, "POST", "/auth/v2/preauth", { username: "portal-user" }));
    const url = new URL(pre.enroll_portal_url);
    const start = await rawRequest(emulator.port, { method: "GET", path: `${url.pathname}${url.search}` });
    expect(start.status).toBe(200);
    const code = url.searchParams.get("code") ?? "";
    const opened = await form("/portal", { code });
    expect(opened.status).toBe(200);
    expect(opened.text).toMatch(/src="\/frame\/qr\?value=duo%3A%2F%2F/);
    expect(opened.text).toContain("/phone?activation=");
    expect((await form("/portal", { code })).status).toBe(404);
    expect((await control(emulator, "GET", "/users/portal-user")).status).toBe(200);
  });
});
