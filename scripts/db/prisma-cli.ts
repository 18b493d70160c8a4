/** Runs the project's Prisma CLI (which reads prisma.config.ts) with the given environment. */
import { execFileSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export function runPrisma(args: string[], options: { env?: NodeJS.ProcessEnv; quiet?: boolean } = {}): void {
  execFileSync(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), ...args], {
    cwd: root,
    env: { ...(options.env ?? process.env), PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: options.quiet ? "pipe" : "inherit",
  });
}
