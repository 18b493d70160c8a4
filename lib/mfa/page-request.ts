/** The /mfa page's view of the current request, as a route handler would see it (server components only). */
import { headers } from "next/headers";
import { NextRequest } from "next/server";

/** A NextRequest over the page request's headers (cookies included), for the loaders the routes use. */
export async function pageRequest(path: string): Promise<NextRequest> {
  return new NextRequest(new URL(path, "http://page.invalid"), { headers: await headers() });
}
