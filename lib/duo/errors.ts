/**
 * Every way a call to Duo can fail, as typed values. The client returns these inside a `DuoResult`
 * (`{ ok: false, error }`); it never throws them. Messages carry no secrets: never the skey, the
 * Authorization header, a passcode or a token.
 */

/** Where a failure happened, for logs and messages. */
export interface DuoRequestContext {
  method: string;
  path: string;
}

abstract class DuoFailureBase extends Error {
  abstract readonly kind: string;
  readonly method: string;
  readonly path: string;

  protected constructor(message: string, context: DuoRequestContext, options?: ErrorOptions) {
    super(message, options);
    this.method = context.method;
    this.path = context.path;
  }
}

/** Duo answered with a FAIL envelope: `{"stat":"FAIL","code":40103,"message":"…","message_detail":"…"}`. */
export class DuoApiError extends DuoFailureBase {
  override readonly name = "DuoApiError";
  readonly kind = "api";
  /** Usually a five-digit number whose first three digits are the HTTP status; Duo has sent strings too. */
  readonly code: number | string;
  readonly messageDetail: string | undefined;
  readonly httpStatus: number;

  /** `message` is Duo's `message`, verbatim. */
  constructor(
    fields: { code: number | string; message: string; messageDetail?: string; httpStatus: number },
    context: DuoRequestContext,
  ) {
    super(fields.message, context);
    this.code = fields.code;
    this.messageDetail = fields.messageDetail;
    this.httpStatus = fields.httpStatus;
  }

  /** The code as a number when it is one (Duo has sent `"40002"` and `""` as well as `40002`). */
  get numericCode(): number | null {
    const value = typeof this.code === "number" ? this.code : Number(this.code);
    return this.code !== "" && Number.isInteger(value) ? value : null;
  }
}

/** No complete answer within the call's timeout. */
export class DuoTimeoutError extends DuoFailureBase {
  override readonly name = "DuoTimeoutError";
  readonly kind = "timeout";
  readonly timeoutMs: number;

  constructor(timeoutMs: number, context: DuoRequestContext) {
    super(`Duo did not answer ${context.method} ${context.path} within ${timeoutMs} ms`, context);
    this.timeoutMs = timeoutMs;
  }
}

/** The connection failed before Duo answered (DNS, refused, reset, TLS). */
export class DuoNetworkError extends DuoFailureBase {
  override readonly name = "DuoNetworkError";
  readonly kind = "network";

  constructor(cause: unknown, context: DuoRequestContext) {
    super(`Could not reach Duo for ${context.method} ${context.path}: ${describeCause(cause)}`, context, { cause });
  }
}

export type DuoProtocolProblem =
  /** The body is not JSON (or not the image /logo promised). */
  | "malformed-body"
  /** The connection ended before the whole body arrived. */
  | "truncated-body"
  /** A Content-Type other than application/json (or image/* for /logo). */
  | "unexpected-content-type"
  /** Valid JSON, but not a Duo envelope or not the shape this endpoint returns. */
  | "unexpected-shape"
  /** A body larger than the client accepts. */
  | "body-too-large"
  /** A 3xx: Duo never redirects, and following one would send a signed request elsewhere. */
  | "redirect";

/** Something answered, but not the way Duo does. */
export class DuoProtocolError extends DuoFailureBase {
  override readonly name = "DuoProtocolError";
  readonly kind = "protocol";
  readonly problem: DuoProtocolProblem;
  readonly httpStatus: number;
  /** The start of the body, to recognise e.g. a proxy's HTML error page. */
  readonly bodyPreview: string;

  constructor(
    fields: { problem: DuoProtocolProblem; httpStatus: number; detail: string; bodyPreview?: string },
    context: DuoRequestContext,
  ) {
    super(`Unexpected answer to ${context.method} ${context.path} (HTTP ${fields.httpStatus}): ${fields.detail}`, context);
    this.problem = fields.problem;
    this.httpStatus = fields.httpStatus;
    this.bodyPreview = fields.bodyPreview ?? "";
  }
}

/** The caller's AbortSignal fired. */
export class DuoAbortedError extends DuoFailureBase {
  override readonly name = "DuoAbortedError";
  readonly kind = "aborted";

  constructor(context: DuoRequestContext) {
    super(`${context.method} ${context.path} was aborted by the caller`, context);
  }
}

/** What a call can fail with, discriminated on `kind`. */
export type DuoFailure = DuoApiError | DuoTimeoutError | DuoNetworkError | DuoProtocolError | DuoAbortedError;

export type DuoResult<T> = { ok: true; value: T } | { ok: false; error: DuoFailure };

/**
 * Thrown, not returned: the caller broke the client's contract in a way the types could not catch
 * (both `username` and `userId`, a pushinfo over Duo's limit). A bug to fix, not a condition to handle.
 */
export class DuoArgumentError extends Error {
  override readonly name = "DuoArgumentError";
}

export function isDuoFailure(value: unknown): value is DuoFailure {
  return (
    value instanceof DuoApiError ||
    value instanceof DuoTimeoutError ||
    value instanceof DuoNetworkError ||
    value instanceof DuoProtocolError ||
    value instanceof DuoAbortedError
  );
}

/** The innermost useful message of a fetch failure (undici wraps the socket error in `cause`). */
function describeCause(cause: unknown): string {
  let current: unknown = cause;
  let message = "unknown error";
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = "code" in current && typeof current.code === "string" && !current.message.includes(current.code) ? `${current.code} ` : "";
    message = `${code}${current.message}`.trim();
    current = current.cause;
  }
  return message;
}
