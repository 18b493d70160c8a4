/**
 * The control API (JSON over HTTP, /emulator/v1/…): what tests and scripts use to play the phone and the
 * administrator. Unknown ids answer 404, bad bodies 400, both as `{"error": "…"}`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { BYPASS_CODE_VALID_SECONDS, BYPASS_CODES_MAX_PER_REQUEST, MAX_CONTROL_BODY_BYTES, MAX_FAULT_DELAY_MS } from "../constants";
import { addDeviceTo, createUserWithDevices, issueBypassCodes, setUserStatus, type DeviceSpec } from "../core/admin";
import type { EmulatorContext } from "../core/context";
import { activate } from "../core/enrollment";
import { FAULT_MODES, type Faults } from "../core/faults";
import { CAPABILITIES, USER_STATUSES } from "../core/model";
import { advanceDisplayedPasscode, displayedPasscode, generatesPasscodes } from "../core/passcodes";
import { ANSWERS, answerTransaction, transactionView } from "../core/phone-actions";
import { policyPatchSchema } from "../core/policy";
import { deviceView, userView } from "../core/users";
import { hostAllowed, sameOriginOrNone } from "../http/guards";
import { mediaType, readRawBody, sendJson } from "../http/io";

export const CONTROL_PREFIX = "/emulator/v1";

export interface ControlDeps {
  context: EmulatorContext;
  faults: Faults;
  reset: () => Promise<void>;
  /** Host names besides loopback that the control API answers to (the configured API host). */
  allowedHosts: readonly string[];
}

type Reply = { status: number; body: unknown };
type Handle = (ids: string[], body: unknown, deps: ControlDeps) => Reply | Promise<Reply>;
interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  pattern: RegExp;
  /** Routes with a schema require a JSON body that matches it. */
  schema?: z.ZodType;
  handle: Handle;
}

const notFound = (what: string): Reply => ({ status: 404, body: { error: `${what} not found` } });
const conflict = (error: string): Reply => ({ status: 409, body: { error } });

const username = z.string().trim().min(1).max(256);
const deviceSpecSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("phone"),
    name: z.string().max(100).optional(),
    number: z
      .string()
      .regex(/^\+?[0-9 ()-]{4,20}$/)
      .optional(),
    platform: z.string().max(100).optional(),
    capabilities: z.array(z.enum(CAPABILITIES)).optional(),
  }),
  z.strictObject({ type: z.literal("token"), name: z.string().max(100).optional() }),
]);

const schemas = {
  activation: z.strictObject({ activation_code: z.string().min(1).max(512) }),
  user: z.strictObject({
    username,
    aliases: z.array(username).max(8).optional(),
    status: z.enum(USER_STATUSES).optional(),
    devices: z.array(deviceSpecSchema).max(100).optional(),
  }),
  status: z.strictObject({ status: z.enum(USER_STATUSES) }),
  bypass: z.strictObject({
    count: z.number().int().min(1).max(BYPASS_CODES_MAX_PER_REQUEST).optional(),
    valid_secs: z.number().int().positive().nullable().optional(),
    uses: z.number().int().positive().nullable().optional(),
  }),
  answer: z.strictObject({ answer: z.enum(ANSWERS), verification_code: z.string().max(16).optional() }),
  faults: z.union([
    // The original form: the next `rate_limit` signed requests get 429/42901.
    z.strictObject({ rate_limit: z.number().int().min(0).max(10_000), retry_after: z.number().int().min(0).max(3600).optional() }),
    z
      .strictObject({
        mode: z.enum(FAULT_MODES),
        delayMs: z.number().int().min(1).max(MAX_FAULT_DELAY_MS).optional(),
        count: z.number().int().min(1).max(10_000).optional(),
        retryAfter: z.number().int().min(0).max(3600).optional(),
      })
      .refine((fault) => fault.mode !== "slow" || fault.delayMs !== undefined, { error: "a slow fault needs delayMs", path: ["delayMs"] })
      .refine((fault) => fault.mode === "slow" || fault.delayMs === undefined, { error: "delayMs is for the slow fault only", path: ["delayMs"] })
      .refine((fault) => fault.mode === "http429" || fault.retryAfter === undefined, { error: "retryAfter is for the http429 fault only", path: ["retryAfter"] }),
  ]),
};

const ROUTES: Route[] = [
  {
    method: "POST",
    pattern: /^\/activations$/,
    schema: schemas.activation,
    handle: (_ids, body, { context }) => {
      const { activation_code } = schemas.activation.parse(body);
      const result = activate(context, activation_code);
      if (result.ok) return { status: 201, body: { user_id: result.user.user_id, username: result.user.username, device: result.device.device } };
      if (result.reason === "unknown") return notFound("activation code");
      if (result.reason === "claimed") return conflict("activation code already used");
      return { status: 410, body: { error: "activation code expired" } };
    },
  },
  {
    method: "POST",
    pattern: /^\/users$/,
    schema: schemas.user,
    handle: (_ids, body, { context }) => {
      const input = schemas.user.parse(body);
      const result = createUserWithDevices(context, { ...input, devices: input.devices as DeviceSpec[] | undefined });
      return result.ok ? { status: 201, body: userView(result.user) } : conflict("username already exists");
    },
  },
  {
    method: "GET",
    pattern: /^\/users\/([^/]+)$/,
    handle: ([ref], _body, { context }) => {
      const user = context.store.userByRef(ref ?? "");
      return user ? { status: 200, body: userView(user) } : notFound("user");
    },
  },
  {
    method: "GET",
    pattern: /^\/users\/([^/]+)\/transactions$/,
    handle: ([ref], _body, { context }) => {
      const user = context.store.userByRef(ref ?? "");
      return user ? { status: 200, body: context.store.transactionsOf(user.user_id).map(transactionView) } : notFound("user");
    },
  },
  {
    method: "GET",
    pattern: /^\/users\/([^/]+)\/sms$/,
    handle: ([ref], _body, { context }) => {
      const user = context.store.userByRef(ref ?? "");
      if (!user) return notFound("user");
      const batch = user.sms;
      if (batch === null) return { status: 200, body: { device: null, passcodes: [], next_index: null, sent: null } };
      return { status: 200, body: { device: batch.device, passcodes: batch.codes, next_index: batch.next, sent: Math.floor(batch.sent / 1000) } };
    },
  },
  {
    method: "PUT",
    pattern: /^\/users\/([^/]+)\/status$/,
    schema: schemas.status,
    handle: ([ref], body, { context }) => {
      const user = context.store.userByRef(ref ?? "");
      if (!user) return notFound("user");
      setUserStatus(context, user, schemas.status.parse(body).status);
      return { status: 200, body: userView(user) };
    },
  },
  {
    method: "POST",
    pattern: /^\/users\/([^/]+)\/devices$/,
    schema: deviceSpecSchema,
    handle: ([ref], body, { context }) => {
      const user = context.store.userByRef(ref ?? "");
      if (!user) return notFound("user");
      const device = addDeviceTo(context, user, deviceSpecSchema.parse(body) as DeviceSpec);
      return { status: 201, body: deviceView(user, device) };
    },
  },
  {
    method: "POST",
    pattern: /^\/users\/([^/]+)\/bypass_codes$/,
    schema: schemas.bypass,
    handle: ([ref], body, { context }) => {
      const user = context.store.userByRef(ref ?? "");
      if (!user) return notFound("user");
      const input = schemas.bypass.parse(body);
      const result = issueBypassCodes(context, user, {
        count: input.count ?? 1,
        validSeconds: input.valid_secs === undefined ? BYPASS_CODE_VALID_SECONDS : input.valid_secs,
        uses: input.uses === undefined ? 1 : input.uses,
      });
      return result.ok ? { status: 201, body: { codes: result.codes, expiration: result.expiration } } : conflict("a user holds at most 100 bypass codes");
    },
  },
  {
    method: "GET",
    pattern: /^\/transactions\/([^/]+)$/,
    handle: ([txid], _body, { context }) => {
      const transaction = context.store.transactions.get(txid ?? "");
      return transaction ? { status: 200, body: transactionView(transaction) } : notFound("transaction");
    },
  },
  {
    method: "POST",
    pattern: /^\/transactions\/([^/]+)$/,
    schema: schemas.answer,
    handle: ([txid], body, { context }) => {
      const input = schemas.answer.parse(body);
      const result = answerTransaction(context, txid ?? "", input.answer, input.verification_code ?? null);
      if (result.ok) return { status: 200, body: transactionView(result.transaction) };
      switch (result.reason) {
        case "not_found":
          return notFound("transaction");
        case "not_answerable":
          return conflict("this transaction cannot take that answer");
        case "final":
          return conflict("transaction already finished");
        case "verification_code_required":
          return { status: 400, body: { error: "this is a Verified Duo Push: send verification_code" } };
      }
    },
  },
  {
    method: "GET",
    pattern: /^\/devices\/([^/]+)\/passcode$/,
    handle: ([id], _body, { context }) => {
      const owner = context.store.deviceOwner(id ?? "");
      if (!owner) return notFound("device");
      if (!generatesPasscodes(owner.device)) return conflict("this device does not generate passcodes");
      return { status: 200, body: { passcode: displayedPasscode(owner.device) } };
    },
  },
  {
    method: "POST",
    pattern: /^\/devices\/([^/]+)\/passcode\/next$/,
    handle: ([id], _body, { context }) => {
      const owner = context.store.deviceOwner(id ?? "");
      if (!owner) return notFound("device");
      if (!generatesPasscodes(owner.device)) return conflict("this device does not generate passcodes");
      advanceDisplayedPasscode(owner.device);
      context.changed();
      return { status: 200, body: { passcode: displayedPasscode(owner.device) } };
    },
  },
  {
    method: "POST",
    pattern: /^\/faults$/,
    schema: schemas.faults,
    handle: (_ids, body, { faults }) => {
      const input = schemas.faults.parse(body);
      if ("rate_limit" in input) {
        faults.scriptRateLimit(input.rate_limit, input.retry_after ?? null);
        return { status: 200, body: faults.pending };
      }
      faults.set({ mode: input.mode, delayMs: input.delayMs ?? null, count: input.count ?? null, retryAfterSeconds: input.retryAfter ?? null });
      return { status: 200, body: faults.view };
    },
  },
  { method: "GET", pattern: /^\/faults$/, handle: (_ids, _body, { faults }) => ({ status: 200, body: { ...faults.view, ...faults.pending } }) },
  {
    method: "DELETE",
    pattern: /^\/faults$/,
    handle: (_ids, _body, { faults }) => {
      faults.clear();
      return { status: 200, body: { ...faults.view, ...faults.pending } };
    },
  },
  { method: "GET", pattern: /^\/policy$/, handle: (_ids, _body, { context }) => ({ status: 200, body: context.policy }) },
  {
    method: "PUT",
    pattern: /^\/policy$/,
    schema: policyPatchSchema,
    handle: (_ids, body, { context }) => {
      Object.assign(context.policy, policyPatchSchema.parse(body));
      return { status: 200, body: context.policy };
    },
  },
  {
    method: "POST",
    pattern: /^\/reset$/,
    handle: async (_ids, _body, { reset }) => {
      await reset();
      return { status: 200, body: { reset: true } };
    },
  },
];

export function isControlPath(path: string): boolean {
  return path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
}

export async function handleControl(request: IncomingMessage, response: ServerResponse, path: string, deps: ControlDeps): Promise<void> {
  if (!hostAllowed(request, deps.allowedHosts)) return sendJson(response, 403, { error: "unknown host name" });
  const method = request.method ?? "GET";
  if (method !== "GET" && !sameOriginOrNone(request)) return sendJson(response, 403, { error: "cross-site request refused" });

  const rest = path.slice(CONTROL_PREFIX.length);
  const candidates = ROUTES.map((route) => ({ route, match: route.pattern.exec(rest) })).filter((c) => c.match !== null);
  if (candidates.length === 0) return sendJson(response, 404, { error: "no such control route" });
  const found = candidates.find((c) => c.route.method === method);
  if (!found?.match) {
    return sendJson(response, 405, { error: "method not allowed" }, { Allow: [...new Set(candidates.map((c) => c.route.method))].join(", ") });
  }
  let ids: string[];
  try {
    ids = found.match.slice(1).map((segment) => decodeURIComponent(segment));
  } catch {
    return sendJson(response, 404, { error: "malformed id" });
  }

  const raw = await readRawBody(request, MAX_CONTROL_BODY_BYTES);
  if (!raw.ok) return raw.reason === "too_large" ? sendJson(response, 413, { error: "body too large" }, { Connection: "close" }) : undefined;
  let body: unknown = undefined;
  if (found.route.schema) {
    if (mediaType(request) !== "application/json") return sendJson(response, 400, { error: "send a JSON body with Content-Type: application/json" });
    try {
      body = JSON.parse(raw.bytes.toString("utf8"));
    } catch {
      return sendJson(response, 400, { error: "the body is not valid JSON" });
    }
    const checked = found.route.schema.safeParse(body);
    if (!checked.success) {
      return sendJson(response, 400, {
        error: "invalid body",
        issues: checked.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
      });
    }
    body = checked.data;
  }
  const reply = await found.route.handle(ids, body, deps);
  sendJson(response, reply.status, reply.body);
}
