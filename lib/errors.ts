/**
 * The one registry of expected failures, shared by the server (which returns a code) and the UI (which
 * shows the message). Domain functions return these as values; nothing here is thrown.
 *
 * Messages never say which credential was wrong, and never echo what the user typed.
 */
export const ERRORS = {
  INVALID_INPUT: { status: 400, message: "Some fields are missing or not valid." },
  BODY_TOO_LARGE: { status: 413, message: "The request is too large." },
  LENGTH_REQUIRED: { status: 411, message: "Send the request with a Content-Length." },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "Send the request as JSON or a form." },
  INVALID_CREDENTIALS: { status: 401, message: "That email and password don't match an account." },
  EMAIL_TAKEN: { status: 409, message: "Could not create an account with that email. Try signing in instead." },
  PASSWORD_TOO_SHORT: { status: 400, message: "Use at least 12 characters." },
  PASSWORD_TOO_LONG: { status: 400, message: "Use at most 256 characters." },
  PASSWORD_TOO_COMMON: {
    status: 400,
    message: "That password is too common or too easy to guess. Try a longer phrase of unrelated words.",
  },
  CURRENT_PASSWORD_WRONG: { status: 400, message: "That isn't your current password." },
  PASSWORD_UNCHANGED: { status: 400, message: "Choose a password different from the current one." },
  PASSWORD_CONTEXT: { status: 400, message: "Don't use your email address or this site's name in your password." },
  RATE_LIMITED: { status: 429, message: "Too many attempts. Wait a little and try again." },
  ACCOUNT_LOCKED: {
    status: 423,
    message: "Sign-in is paused on this account after too many failed attempts. Try again in 15 minutes.",
  },
  UNAUTHENTICATED: { status: 401, message: "Sign in to continue." },
  CHALLENGE_EXPIRED: { status: 410, message: "This sign-in attempt has expired or ended. Sign in again to continue." },
  CODE_INVALID: { status: 400, message: "That code didn't work. Check it and try again." },
  ATTEMPTS_EXHAUSTED: { status: 429, message: "Too many wrong codes. Sign in again to start over." },
  SEND_LIMIT_REACHED: { status: 429, message: "That's as many as we can send for this sign-in. Choose another method." },
  METHOD_UNAVAILABLE: { status: 400, message: "That method isn't available for this device." },
  DUO_UNAVAILABLE: {
    status: 503,
    message: "Duo can't be reached right now. Use a backup code, or try again in a few minutes.",
  },
  DUO_DENIED: { status: 403, message: "Duo refused this sign-in. Contact your administrator if you think this is wrong." },
  DUO_LOCKED_OUT: {
    status: 423,
    message: "Duo has locked your account after too many failed attempts. Use a backup code, or contact your administrator.",
  },
  FRAUD_REPORTED: {
    status: 403,
    message: "You reported this sign-in as fraudulent, so it was stopped. If it wasn't you, change your password.",
  },
  STEP_UP_REQUIRED: { status: 403, message: "Confirm it's you with your second factor first." },
  NOT_ENROLLED: { status: 409, message: "Two-factor authentication isn't set up for this account." },
  MFA_REQUIRED: { status: 401, message: "Finish two-factor authentication to continue." },
  FORBIDDEN: { status: 403, message: "You can't do that." },
  CROSS_ORIGIN: { status: 403, message: "This request came from another site and was refused." },
  NOT_FOUND: { status: 404, message: "Not found." },
  SERVICE_UNAVAILABLE: { status: 503, message: "A service we depend on is unavailable. Try again shortly." },
  INTERNAL: { status: 500, message: "Something went wrong on our side. Try again." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export function errorMessage(code: ErrorCode): string {
  return ERRORS[code].message;
}

export function errorStatus(code: ErrorCode): number {
  return ERRORS[code].status;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERRORS, value);
}

/** A code received from elsewhere (a URL, a response body), or INTERNAL when it is not one of ours. */
export function toErrorCode(value: unknown): ErrorCode {
  return isErrorCode(value) ? value : "INTERNAL";
}

/** An expected outcome: a value, or an error code from the registry. */
export type Result<T, E extends ErrorCode = ErrorCode> = { ok: true; value: T } | { ok: false; code: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<E extends ErrorCode>(code: E): { ok: false; code: E } {
  return { ok: false, code };
}

/** The JSON body every API route answers a failure with. */
export type ErrorBody = { error: { code: ErrorCode; message: string; fields?: Record<string, string> } };

export function errorBody(code: ErrorCode, fields?: Record<string, string>): ErrorBody {
  return { error: { code, message: errorMessage(code), ...(fields ? { fields } : {}) } };
}
