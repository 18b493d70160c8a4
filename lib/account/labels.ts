/** Human words for what the security page lists (shared by the server page and its client parts). */

const EVENT_TYPES: Record<string, string> = {
  "sign-up": "Account created",
  "sign-in": "Password sign-in",
  "sign-out": "Signed out",
  "second-factor": "Second factor",
  "step-up": "Confirmed it's you",
  enroll: "Duo enrollment",
  "backup-codes": "New backup codes",
  "remembered-browser": "Remembered browser",
  "2fa-enabled": "Two-factor authentication turned on",
  "2fa-disabled": "Two-factor authentication turned off",
  "password-changed": "Password changed",
  "session-ended": "Signed out another session",
};

const METHODS: Record<string, string> = {
  password: "password",
  push: "Duo Push",
  passcode: "passcode",
  phone: "phone call",
  sms: "text message",
  "backup-code": "backup code",
  remembered: "remembered browser",
  "duo-allow": "allowed by Duo",
  failopen: "skipped: Duo unavailable",
};

const RESULTS: Record<string, string> = {
  success: "succeeded",
  failure: "failed",
  denied: "denied",
  fraud: "reported as fraud",
  timeout: "timed out",
  locked: "locked",
  "rate-limited": "rate-limited",
  skipped: "skipped",
  cancelled: "cancelled",
  expired: "expired",
  error: "error",
};

export function eventLabel(type: string, method: string | null): string {
  const what = EVENT_TYPES[type] ?? type;
  return method && METHODS[method] ? `${what} (${METHODS[method]})` : what;
}

export function resultLabel(result: string): string {
  return RESULTS[result] ?? result;
}

const FORMAT = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** Formatted on the server, in UTC, so server and browser render the same text. */
export function formatTime(date: Date): string {
  return `${FORMAT.format(date)} UTC`;
}

export const CAPABILITIES: Record<string, string> = {
  push: "Duo Push",
  phone: "phone calls",
  sms: "text messages",
  mobile_otp: "passcodes",
};
