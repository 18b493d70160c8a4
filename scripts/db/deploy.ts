/**
 * `npm run db:deploy`: applies the committed migrations of the provider DATABASE_URL picks, the one
 * command production runs before (or as part of) each release. Never creates migrations, never resets.
 */
import { DEFAULT_DATABASE_URL, databaseProvider } from "../../lib/db/url";
import { runPrisma } from "./prisma-cli";

const url = (process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL);
console.log(`Applying ${databaseProvider(url)} migrations…`);
runPrisma(["migrate", "deploy"]);
