import { defineConfig } from "prisma/config";
import { migrationAdapterFactory } from "./scripts/db/migration-adapter";
import { DEFAULT_DATABASE_URL, databaseProvider } from "./lib/db/url";

// The CLI must see DATABASE_URL, or it falls back to downloading a native engine (see TOOLCHAIN notes).
process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL;
const url = process.env.DATABASE_URL;
const provider = databaseProvider(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: `prisma/${provider}/schema.prisma`,
  migrations: { path: `prisma/${provider}/migrations` },
  adapter: async () => migrationAdapterFactory(url),
});
