import { z } from "zod";

export const startEnrollmentSchema = z.strictObject({
  /** Link the Duo account Duo already has for this username, instead of a new activation. */
  link: z.boolean().optional(),
});
