import { z } from "zod";
import { passwordInputSchema } from "../auth/schemas";

/**
 * The id of one of the account's rows (a cuid). Only its own characters get through: a lone surrogate or a
 * NUL byte would otherwise reach the database driver, which refuses them with an error, not a miss.
 */
const rowId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, { error: "is not an id" });

export const revokeBrowserSchema = z.strictObject({ id: rowId });

export const signOutSessionSchema = z.strictObject({ id: rowId });

export const changePasswordSchema = z.strictObject({
  currentPassword: passwordInputSchema,
  newPassword: passwordInputSchema,
});
