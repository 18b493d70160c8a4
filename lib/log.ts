/**
 * The server's log. Each line is an event name plus flat, typed fields. Field names that could hold a
 * credential are masked whatever their value, as a second line of defence: callers must not pass
 * passwords, passcodes, backup codes, tokens or keys in the first place.
 */
export type LogValue = string | number | boolean | null | undefined;
export type LogFields = Record<string, LogValue>;
type Level = "info" | "warn" | "error";

const SENSITIVE_FIELD = /pass(word|code)|secret|token|skey|authorization|cookie|backup.?code|activation/i;

function render(level: Level, event: string, fields: LogFields): string {
  const safe: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    safe[key] = SENSITIVE_FIELD.test(key) ? "[redacted]" : value;
  }
  if (process.env.NODE_ENV === "production") {
    return JSON.stringify({ time: new Date().toISOString(), level, event, ...safe });
  }
  const pairs = Object.entries(safe).map(([key, value]) => `${key}=${typeof value === "string" && value.includes(" ") ? JSON.stringify(value) : String(value)}`);
  return [`[${level}]`, event, ...pairs].join(" ");
}

export const log = {
  info(event: string, fields: LogFields = {}): void {
    console.info(render("info", event, fields));
  },
  warn(event: string, fields: LogFields = {}): void {
    console.warn(render("warn", event, fields));
  },
  error(event: string, fields: LogFields = {}): void {
    console.error(render("error", event, fields));
  },
};
