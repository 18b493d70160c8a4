/**
 * Page weight: the JavaScript a first visit to a page downloads (Next's "First Load JS"), gzip-compressed,
 * measured from the HTML the production server sends: every script and module preload it references.
 */
import { gzipSync } from "node:zlib";

export interface PageWeight {
  path: string;
  scripts: number;
  bytes: number;
  gzipBytes: number;
}

const SCRIPT_SRC = /<script[^>]+src="([^"]+)"/g;
const PRELOAD = /<link[^>]+rel="(?:modulepreload|preload)"[^>]+as="script"[^>]*href="([^"]+)"|<link[^>]+href="([^"]+\.js)"[^>]+rel="(?:modulepreload|preload)"/g;

/** `expectStatus`: 404 for the bare page (an unknown path: the build's not-found page and nothing else). */
export async function measurePageWeight(baseUrl: string, path: string, cookie = "", expectStatus = 200): Promise<PageWeight> {
  const response = await fetch(`${baseUrl}${path}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  if (response.status !== expectStatus) throw new Error(`${path}: HTTP ${response.status}`);
  const html = await response.text();
  const sources = new Set<string>();
  for (const match of html.matchAll(SCRIPT_SRC)) if (match[1]) sources.add(match[1]);
  for (const match of html.matchAll(PRELOAD)) {
    const src = match[1] ?? match[2];
    if (src) sources.add(src);
  }
  let bytes = 0;
  let gzipBytes = 0;
  for (const src of sources) {
    const body = Buffer.from(await (await fetch(new URL(src, baseUrl))).arrayBuffer());
    bytes += body.byteLength;
    gzipBytes += gzipSync(body).byteLength;
  }
  return { path, scripts: sources.size, bytes, gzipBytes };
}
