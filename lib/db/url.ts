import path from "node:path";

/** Where the embedded default keeps its SQLite file, relative to the project folder. */
export const DEFAULT_DATABASE_URL = "file:./data/app.db";

export type DatabaseProvider = "sqlite" | "postgres";

export class DatabaseUrlError extends Error {
  override name = "DatabaseUrlError";
}

/** `file:` picks SQLite, `postgres://` or `postgresql://` picks PostgreSQL; nothing else is accepted. */
export function databaseProvider(url: string): DatabaseProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  throw new DatabaseUrlError(
    "DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL).",
  );
}

/** The SQLite file a `file:` URL names; a relative path is taken from the working directory. */
export function sqliteFilePath(url: string, cwd: string = process.cwd()): string {
  const raw = url.slice("file:".length).split("?")[0] ?? "";
  if (raw === ":memory:") return raw;
  return path.resolve(cwd, raw);
}
