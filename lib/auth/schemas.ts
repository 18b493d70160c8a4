/** Input shapes at the edge, shared by the route handlers, the credentials provider and the forms. */
import { z } from "zod";
import { PASSWORD_MAX_INPUT_BYTES } from "./password";

/** RFC 5321's limit for a forward path; longer input is not an address. */
export const EMAIL_MAX_LENGTH = 254;

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .max(EMAIL_MAX_LENGTH, { error: `Use at most ${EMAIL_MAX_LENGTH} characters.` })
  .pipe(z.email({ error: "Enter a valid email address." }))
  .transform((email) => email.toLowerCase());

/** Any string the password rules can then judge; only absurd sizes are refused here. */
export const passwordInputSchema = z
  .string({ error: "Enter your password." })
  .min(1, { error: "Enter your password." })
  .max(PASSWORD_MAX_INPUT_BYTES, { error: "Use at most 256 characters." });

export const signUpSchema = z.strictObject({
  email: emailSchema,
  password: passwordInputSchema,
});

/**
 * What Auth.js's credentials callback hands to authorize(): the form fields plus its own
 * (csrfToken, callbackUrl), so unknown keys are ignored here rather than refused.
 */
export const signInSchema = z.object({
  email: emailSchema,
  password: passwordInputSchema,
});

export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;
