/**
 * The second-factor step's actions as the routes call them: one function per route, each taking the
 * loaded context and the validated input.
 */
import { verifyBackupCode } from "./backup-code-factor";
import { endChallenge, setRememberBrowser } from "./challenge";
import { checkPasscode, sendToDevice, type SecondFactorContext, type SendResult } from "./second-factor";
import type { CodeCheckResult } from "./code-check";
import type { z } from "zod";
import type { sendSchema, verifySchema } from "./schemas";
import { recordAuthEvent } from "../audit/events";

export async function sendFactor(context: SecondFactorContext, input: z.infer<typeof sendSchema>): Promise<SendResult> {
  if (input.remember !== undefined) await setRememberBrowser(context.challenge.id, input.remember);
  return sendToDevice(context, input.kind, input.device);
}

export async function verifyCode(context: SecondFactorContext, input: z.infer<typeof verifySchema>): Promise<CodeCheckResult | { ok: false; code: "PASSED" }> {
  if (input.remember !== undefined) await setRememberBrowser(context.challenge.id, input.remember);
  if (input.method === "backup-code") return verifyBackupCode(context.challenge, input.code, context.client);
  return checkPasscode(context, input.code);
}

export async function rememberChoice(context: SecondFactorContext, remember: boolean): Promise<void> {
  await setRememberBrowser(context.challenge.id, remember);
}

/** The user gave up on this challenge: it ends for good. */
export async function cancelChallenge(context: SecondFactorContext): Promise<void> {
  if (await endChallenge(context.challenge.id, "cancelled")) {
    await recordAuthEvent({ userId: context.challenge.userId, type: context.challenge.purpose === "sign-in" ? "second-factor" : "step-up", result: "cancelled", client: context.client });
  }
}
