import { z } from "zod";

export const revokeBrowserSchema = z.strictObject({ id: z.string().min(1).max(64) });
