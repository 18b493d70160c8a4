import type { NextResponse } from "next/server";
import { getConfig } from "../config/env";
import { challengeCookieName, challengeCookieOptions } from "./challenge-cookie";

/** Names a signed-in session's new step-up or enrollment challenge on the response. */
export function withChallengeCookie(response: NextResponse, challengeId: string): NextResponse {
  const { isProduction } = getConfig();
  response.cookies.set(challengeCookieName(isProduction), challengeId, challengeCookieOptions(isProduction));
  return response;
}
