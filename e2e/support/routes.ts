/**
 * The app's routes, read from the file system, so that a suite covering "every route" fails when a route
 * is added without coverage.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const API_DIR = path.join(root, "app/api");
const SOURCE_DIRS = ["app", "lib", "components"].map((dir) => path.join(root, dir));
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export const STATE_CHANGING_METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;

export interface RouteHandler {
  method: (typeof HTTP_METHODS)[number];
  /** The URL path, with dynamic segments as written in the folder names ([...nextauth]). */
  path: string;
  file: string;
}

function walk(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : walk(full);
    return [full];
  });
}

/** Methods a route.ts exports: `export async function POST`, `export const POST =`, `export const { GET, POST } =`. */
function exportedMethods(source: string): RouteHandler["method"][] {
  const names = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:async\s+)?function\s+([A-Z]+)\b/g)) names.add(match[1] ?? "");
  for (const match of source.matchAll(/export\s+(?:const|let|var)\s+([A-Z]+)\b/g)) names.add(match[1] ?? "");
  for (const match of source.matchAll(/export\s+(?:const|let|var)\s*\{([^}]*)\}/g)) {
    for (const name of (match[1] ?? "").split(",")) names.add(name.split(":").pop()?.trim() ?? "");
  }
  for (const match of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const name of (match[1] ?? "").split(",")) names.add(name.split(/\s+as\s+/).pop()?.trim() ?? "");
  }
  return HTTP_METHODS.filter((method) => names.has(method));
}

/** Every handler of every app/api/**\/route.ts. */
export function apiRouteHandlers(): RouteHandler[] {
  return walk(API_DIR)
    .filter((file) => /route\.(ts|tsx|js)$/.test(path.basename(file)))
    .flatMap((file) => {
      const segments = path
        .relative(path.join(root, "app"), path.dirname(file))
        .split(path.sep)
        .filter((segment) => !/^\(.*\)$/.test(segment));
      const urlPath = `/${segments.join("/")}`;
      return exportedMethods(readFileSync(file, "utf8")).map((method) => ({ method, path: urlPath, file: path.relative(root, file) }));
    })
    .sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

export function stateChangingApiHandlers(): RouteHandler[] {
  return apiRouteHandlers().filter((handler) => (STATE_CHANGING_METHODS as readonly string[]).includes(handler.method));
}

/** Files declaring server actions ("use server"): each is a POST endpoint Next creates. */
export function serverActionFiles(): string[] {
  return SOURCE_DIRS.flatMap(walk)
    .filter((file) => /\.(ts|tsx|js|jsx)$/.test(file) && !/\.(test|spec)\.tsx?$/.test(file))
    .filter((file) => /^\s*["']use server["']/m.test(readFileSync(file, "utf8")))
    .map((file) => path.relative(root, file))
    .sort();
}
