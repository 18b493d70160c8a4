import { z } from "zod";
import { passwordInputSchema } from "../auth/schemas";

export const revokeBrowserSchema = z.strictObject({ id: z.string().min(1).max(64) });

export const signOutSessionSchema = z.strictObject({ id: z.string().min(1).max(64) });

export const changePasswordSchema = z.strictObject({
  currentPassword: passwordInputSchema,
  newPassword: passwordInputSchema,
});
