/** Bodies of the second-factor routes. */
import { z } from "zod";

/** Duo device ids (DP…, DH…) or "auto". */
const deviceId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, { error: "is not a device id" });

export const sendSchema = z.strictObject({
  kind: z.enum(["push", "call", "sms"]),
  device: deviceId,
  remember: z.boolean().optional(),
});

export const verifySchema = z.discriminatedUnion("method", [
  z.strictObject({
    method: z.literal("passcode"),
    // Duo Mobile and hardware tokens show 6 digits, SMS passcodes 7, bypass codes 9.
    code: z.string().trim().regex(/^\d{6,9}$/, { error: "Enter the 6 to 9 digits of your passcode." }),
    remember: z.boolean().optional(),
  }),
  z.strictObject({
    method: z.literal("backup-code"),
    code: z.string().trim().min(1, { error: "Enter a backup code." }).max(64),
    remember: z.boolean().optional(),
  }),
]);

export const rememberSchema = z.strictObject({ remember: z.boolean() });

export const emptySchema = z.strictObject({});
