/**
 * The audit trail. Each security-relevant outcome is one AuthEvent row: who, what, how, the result, and
 * where from. Rows never hold a password, passcode, code or token.
 */
import { getDb } from "../db/client";
import type { ClientInfo } from "../http/client-info";

export type AuthEventType =
  | "sign-up"
  | "sign-in"
  | "sign-out"
  | "second-factor"
  | "enroll"
  | "backup-codes"
  | "remembered-browser"
  | "2fa-enabled"
  | "2fa-disabled"
  | "step-up"
  | "password-changed"
  | "session-ended";

export type AuthEventMethod =
  | "password"
  | "push"
  | "passcode"
  | "phone"
  | "sms"
  | "backup-code"
  | "remembered"
  | "duo-allow"
  | "failopen";

export type AuthEventResult =
  | "success"
  | "failure"
  | "denied"
  | "fraud"
  | "timeout"
  | "locked"
  | "rate-limited"
  | "skipped"
  | "cancelled"
  | "expired"
  | "error";

export interface AuthEventInput {
  userId: string | null;
  type: AuthEventType;
  result: AuthEventResult;
  method?: AuthEventMethod;
  device?: string | null;
  client: ClientInfo;
}

export async function recordAuthEvent(event: AuthEventInput): Promise<void> {
  await getDb().authEvent.create({
    data: {
      userId: event.userId,
      type: event.type,
      result: event.result,
      method: event.method ?? null,
      device: event.device ?? null,
      ipAddress: event.client.ip,
      userAgent: event.client.userAgent,
    },
  });
}
