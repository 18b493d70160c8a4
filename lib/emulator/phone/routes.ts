/**
 * The emulator's browser pages: the virtual Duo Mobile (/phone), the enrollment portal (/portal) and
 * the QR code image (/frame/qr). Forms work without JavaScript (post, then 303 back to the page); the
 * page's script sends the same forms with fetch and asks for JSON instead.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import QRCode from "qrcode";
import { z } from "zod";
import { ENROLL_VALID_SECONDS, MAX_CONTROL_BODY_BYTES } from "../constants";
import type { EmulatorContext } from "../core/context";
import { activate, openPortal } from "../core/enrollment";
import { advanceDisplayedPasscode, generatesPasscodes } from "../core/passcodes";
import { answerTransaction } from "../core/phone-actions";
import { hostAllowed, sameOriginOrNone } from "../http/guards";
import { mediaType, readRawBody, sendBytes, sendDuoFail, sendJson } from "../http/io";
import type { PhoneEvents } from "./events";
import { html, page, redirect, sendHtml } from "./html";
import { isNoticeKey, NOTICES, phoneFragment, phonePage, type NoticeKey } from "./view";

export interface PageDeps {
  context: EmulatorContext;
  events: PhoneEvents;
  allowedHosts: readonly string[];
}

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url));
const LOGO = readFileSync(new URL("../assets/logo.png", import.meta.url));
let phoneScript: Buffer | null = null;
let phoneStyles: Buffer | null = null;

/** The QR value is an activation code (about 80 characters); anything far longer is refused. */
const QR_VALUE_MAX_LENGTH = 512;
const QR_PIXELS_PER_MODULE = 6;

export const DEFAULT_LOGO: Uint8Array = LOGO;

export function isPagePath(path: string): boolean {
  return path === "/" || path === "/favicon.ico" || path === "/frame/qr" || path === "/portal" || path === "/phone" || path.startsWith("/phone/");
}

export async function handlePage(request: IncomingMessage, response: ServerResponse, url: URL, deps: PageDeps): Promise<void> {
  const method = request.method ?? "GET";
  const path = url.pathname;
  if (path === "/frame/qr" && method === "GET") return qrCode(response, url);
  if (path === "/favicon.ico" && method === "GET") return sendBytes(response, 200, "image/png", LOGO, { "Cache-Control": "max-age=3600" });
  if (path === "/phone/phone.js" && method === "GET") {
    phoneScript ??= asset("phone.js");
    return sendBytes(response, 200, "text/javascript; charset=utf-8", phoneScript, { "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" });
  }
  if (path === "/phone/phone.css" && method === "GET") {
    phoneStyles ??= asset("phone.css");
    return sendBytes(response, 200, "text/css; charset=utf-8", phoneStyles, { "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" });
  }

  if (!hostAllowed(request, deps.allowedHosts)) return sendJson(response, 403, { error: "unknown host name" });
  if (method === "POST" && !sameOriginOrNone(request)) return sendJson(response, 403, { error: "cross-site request refused" });

  if (path === "/" && method === "GET") return redirect(response, "/phone");
  if (path === "/phone" && method === "GET") {
    const notice = url.searchParams.get("notice");
    return sendHtml(response, 200, phonePage(deps.context, { activation: url.searchParams.get("activation") ?? "", notice: isNoticeKey(notice) ? notice : null }));
  }
  if (path === "/phone/fragment" && method === "GET") return sendHtml(response, 200, phoneFragment(deps.context));
  if (path === "/phone/events" && method === "GET") return deps.events.open(response);
  if (path === "/portal" && method === "GET") return portalStart(response, url, deps.context);
  if (method === "POST") {
    const form = await readForm(request);
    if (form === null) return finish(request, response, "invalid");
    if (path === "/phone/activate") return finish(request, response, activateFromForm(deps.context, form));
    if (path === "/phone/answer") return finish(request, response, answerFromForm(deps.context, form));
    if (path === "/phone/passcode/next") return finish(request, response, nextPasscodeFromForm(deps.context, form));
    if (path === "/portal") return portalOpen(response, deps.context, form);
  }
  return sendHtml(response, 404, page("Not found", html`<main><h1>Not found</h1><p><a href="/phone">Open the virtual Duo Mobile</a></p></main>`));
}

async function qrCode(response: ServerResponse, url: URL): Promise<void> {
  const value = url.searchParams.get("value");
  if (value === null || value === "") return sendDuoFail(response, { code: 40001, detail: "value" });
  if (value.length > QR_VALUE_MAX_LENGTH) return sendDuoFail(response, { code: 40002, detail: "value" });
  const png = await QRCode.toBuffer(value, { type: "png", errorCorrectionLevel: "M", margin: 2, scale: QR_PIXELS_PER_MODULE });
  sendBytes(response, 200, "image/png", png, { "Cache-Control": "no-store" });
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams | null> {
  if (mediaType(request) !== "application/x-www-form-urlencoded") return null;
  const body = await readRawBody(request, MAX_CONTROL_BODY_BYTES);
  return body.ok ? new URLSearchParams(body.bytes.toString("utf8")) : null;
}

/** The script asks for JSON (it updates the page itself); a plain form post goes back to the page. */
function finish(request: IncomingMessage, response: ServerResponse, notice: NoticeKey): void {
  if (request.headers["x-phone-fetch"] === "1") return sendJson(response, 200, { notice, message: NOTICES[notice] });
  redirect(response, `/phone?notice=${notice}`);
}

function activateFromForm(context: EmulatorContext, form: URLSearchParams): NoticeKey {
  const result = activate(context, form.get("activation_code") ?? "");
  return result.ok ? "added" : result.reason;
}

const answerForm = z.object({
  txid: z.string().min(1).max(64),
  answer: z.enum(["approve", "deny", "fraud", "ignore"]),
  verification_code: z.string().max(16).optional(),
});

function answerFromForm(context: EmulatorContext, form: URLSearchParams): NoticeKey {
  const input = answerForm.safeParse(Object.fromEntries(form));
  if (!input.success) return "invalid";
  const result = answerTransaction(context, input.data.txid, input.data.answer, input.data.verification_code ?? null);
  if (!result.ok) {
    if (result.reason === "verification_code_required") return "code_required";
    return result.reason === "not_found" ? "gone" : "finished";
  }
  const outcomes = { approve: "approved", deny: "denied", fraud: "fraud", ignore: "ignored" } as const;
  const status = result.transaction.steps[result.transaction.steps.length - 1]?.status;
  // A Verified Push approved with the wrong code ends denied: say so rather than "Approved".
  return input.data.answer === "approve" && status !== "allow" ? "denied" : outcomes[input.data.answer];
}

function nextPasscodeFromForm(context: EmulatorContext, form: URLSearchParams): NoticeKey {
  const owner = context.store.deviceOwner(form.get("device") ?? "");
  if (!owner || !generatesPasscodes(owner.device)) return "invalid";
  advanceDisplayedPasscode(owner.device);
  context.changed();
  return "passcode";
}

function portalStart(response: ServerResponse, url: URL, context: EmulatorContext): void {
  const code = url.searchParams.get("code") ?? "";
  const portal = context.store.portals.get(code);
  if (!portal || portal.used || portal.expires <= context.now()) return portalGone(response);
  sendHtml(
    response,
    200,
    page(
      "Enroll in Duo",
      html`<main class="portal"><section class="card">
  <h1>Set up two-factor authentication</h1>
  <p>Enroll <strong>${portal.username}</strong> with Duo Mobile. This link works once and expires five minutes after it was issued.</p>
  <form method="post" action="/portal"><input type="hidden" name="code" value="${code}"><button type="submit">Start enrollment</button></form>
</section></main>`,
    ),
  );
}

function portalOpen(response: ServerResponse, context: EmulatorContext, form: URLSearchParams): void {
  const opened = openPortal(context, form.get("code") ?? "", ENROLL_VALID_SECONDS);
  if (!opened.ok) return portalGone(response);
  const enrollment = opened.enrollment;
  const qr = `/frame/qr?value=${encodeURIComponent(enrollment.activation_code)}`;
  const phone = `/phone?activation=${encodeURIComponent(enrollment.activation_code)}`;
  sendHtml(
    response,
    200,
    page(
      "Enroll in Duo",
      html`<main class="portal"><section class="card">
  <h1>Scan with Duo Mobile</h1>
  <p>Account <strong>${enrollment.username}</strong>. Scan this code with Duo Mobile, or add it to the virtual phone.</p>
  <img class="qr" src="${qr}" alt="QR code holding the activation code" width="240" height="240">
  <p><a class="button" href="${phone}">Open in the virtual Duo Mobile</a></p>
  <p class="meta">Activation code: <code>${enrollment.activation_code}</code></p>
  <p>When the phone is activated, return to the application and sign in again.</p>
</section></main>`,
    ),
  );
}

function portalGone(response: ServerResponse): void {
  sendHtml(response, 404, page("Link expired", html`<main class="portal"><section class="card"><h1>This enrollment link has expired or was already used</h1><p>Sign in to the application again to get a new one.</p></section></main>`));
}

