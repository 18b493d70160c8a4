/**
 * Duo's FAIL envelope codes (shared/duo-auth-api.md §2.2). The HTTP status is the code's first three
 * digits in every observed case. Codes marked UNCONFIRMED are the emulator's choice where no Duo sample
 * exists.
 */
export const DUO_ERRORS = {
  40001: "Missing required request parameters",
  40002: "Invalid request parameters",
  40101: "Missing request credentials",
  40102: "Invalid integration key in request credentials",
  40103: "Invalid signature in request credentials",
  40104: "Missing request timestamp",
  40105: "Bad request timestamp",
  40301: "Access forbidden",
  /** UNCONFIRMED: unknown path, or no logo. */
  40401: "Resource not found",
  /** UNCONFIRMED: wrong HTTP method for a known path. */
  40501: "Method not allowed",
  /** UNCONFIRMED: body over MAX_BODY_BYTES. */
  41301: "Request entity too large",
  42901: "Too Many Requests",
  50001: "Unknown internal server error",
} as const;

export type DuoErrorCode = keyof typeof DUO_ERRORS;

export interface DuoFailure {
  code: DuoErrorCode;
  /** Names the parameter or the reason; never echoes a submitted value. */
  detail?: string;
}

export type DuoResult<T> = { ok: true; value: T } | { ok: false; failure: DuoFailure };

export function duoOk<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function duoFail(code: DuoErrorCode, detail?: string): { ok: false; failure: DuoFailure } {
  return { ok: false, failure: detail === undefined ? { code } : { code, detail } };
}

export function httpStatusOf(code: DuoErrorCode): number {
  return Math.floor(code / 100);
}
