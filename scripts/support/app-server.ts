/**
 * Starts the production build (`next start`, NODE_ENV=production) on a database of its own, migrated with
 * the production command, with a fresh secret: what the end-to-end tests, the benchmarks and the load
 * test talk to. SQLite by default; a new database on the PostgreSQL server when DATABASE_URL names one.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { createEmptyDatabase } from "../../test/support/database";
import { runPrisma } from "../db/prisma-cli";

const root = path.resolve(import.meta.dirname, "../..");
/** How long `next start` may take to answer its health check. */
const START_TIMEOUT_MS = 60_000;

export interface AppServerOptions {
  port: number;
  /** Extra environment (Duo settings, policies). */
  env?: Record<string, string>;
  /** Where the server's output goes, besides `echo`. */
  logFile?: string;
  /** Copy the server's output to this process's stdout/stderr. */
  echo?: boolean;
  /** Prefix of the database name, to tell runs apart. */
  databasePrefix?: string;
  /**
   * An existing database to run on (migrated here, kept on stop), e.g. to restart a server on the same
   * data, or to reach the database through a proxy the caller controls. Default: a new one, dropped on stop.
   */
  databaseUrl?: string;
  /**
   * Where migrations are applied, when it is not `databaseUrl`: the same database reached directly, for a
   * server that reaches it through a proxy living in this process (the migration runs synchronously, so it
   * must not depend on this process's event loop, or it waits forever).
   */
  migrationUrl?: string;
}

export interface AppServer {
  url: string;
  databaseUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Whether something already answers HTTP on the port (a server left over from an earlier run). */
async function portAnswers(port: number): Promise<boolean> {
  try {
    await fetch(`http://localhost:${port}/api/health`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  // Otherwise the health check below would be answered by the other server, on another database.
  if (await portAnswers(options.port)) throw new Error(`port ${options.port} is already in use (a server left over from an earlier run?)`);
  const database = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => undefined }
    : await createEmptyDatabase(process.env.DATABASE_URL, options.databasePrefix ?? "duo2fa_app");
  runPrisma(["migrate", "deploy"], { env: { ...process.env, DATABASE_URL: options.migrationUrl ?? database.url }, quiet: true });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: database.url,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    DATA_DIR: path.join(root, "test-results/data"),
    ...options.env,
  };
  const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(options.port)], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (options.logFile) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile);
    child.stdout.pipe(log);
    child.stderr.pipe(log);
  }
  if (options.echo) {
    child.stdout.pipe(process.stdout);
    child.stderr.pipe(process.stderr);
  }

  const url = `http://localhost:${options.port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    }
    await database.drop();
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`next start exited with code ${child.exitCode}`);
    }
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, databaseUrl: database.url, process: child, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`next start did not answer within ${START_TIMEOUT_MS} ms`);
}
