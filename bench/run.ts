/**
 * `npm run bench`: builds the production app, starts it (and the Duo emulator) on fresh databases,
 * measures, prints a table and writes the same figures to bench/results/latest.json. Every figure is
 * reported with a baseline measured in the same run, so numbers from different machines compare as ratios.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startAppServer } from "../scripts/support/app-server";
import { measurePageWeight } from "./page-weight";
import { measureSignIn } from "./sign-in";
import { round } from "./support/stats";

const root = path.resolve(import.meta.dirname, "..");
const BENCH_PORT = Number(process.env.BENCH_PORT ?? 3290);

async function main(): Promise<void> {
  if (!process.argv.includes("--no-build")) {
    const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }

  const server = await startAppServer({
    port: BENCH_PORT,
    databasePrefix: "duo2fa_bench",
    env: { DUO_IKEY: "DIBENCHBENCHBENCHBEN", DUO_SKEY: "b".repeat(40), DUO_HOST: "http://127.0.0.1:9" },
  });
  try {
    const signIn = await measureSignIn(server.url);
    const pages = {
      signIn: await measurePageWeight(server.url, "/sign-in"),
      signUp: await measurePageWeight(server.url, "/sign-up"),
    };
    const results = { date: new Date().toISOString(), signIn, pages };
    mkdirSync(path.join(root, "bench/results"), { recursive: true });
    writeFileSync(path.join(root, "bench/results/latest.json"), `${JSON.stringify(results, null, 2)}\n`);

    console.log("\nSign-in request (ms)");
    console.table({
      "sign-in request": { median: round(signIn.request.median), p95: round(signIn.request.p95) },
      "bcrypt verify (baseline)": { median: round(signIn.bcrypt.median), p95: round(signIn.bcrypt.p95) },
    });
    console.log(`bcrypt share of a sign-in: ${round(signIn.bcryptShare * 100, 1)} %`);
    console.log("\nFirst Load JS (gzip)");
    console.table(Object.fromEntries(Object.values(pages).map((p) => [p.path, { kB: round(p.gzipBytes / 1024, 1), scripts: p.scripts }])));
  } finally {
    await server.stop();
  }
}

void main();
