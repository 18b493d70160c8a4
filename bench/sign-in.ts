/**
 * One sign-in request (POST /api/auth/callback/credentials, as the sign-in form sends it) against the
 * production server, and the share of it that is bcrypt (one verification at the configured cost,
 * measured in this process on the same machine).
 */
import { performance } from "node:perf_hooks";
import { hashPassword, verifyPassword } from "../lib/auth/password";
import { HttpSession } from "./support/http-session";
import { summarize, type Summary } from "./support/stats";

export interface SignInFigures {
  request: Summary;
  bcrypt: Summary;
  /** Median bcrypt time over median request time. */
  bcryptShare: number;
}

export async function measureSignIn(baseUrl: string, runs = 30): Promise<SignInFigures> {
  const email = `bench-${Date.now()}@example.com`;
  const password = "bench lantern meadow orchard";
  const session = new HttpSession(baseUrl);
  await session.signUp(email, password);
  const csrf = await session.csrfToken();
  await session.signIn(email, password, csrf); // warm-up

  const requestMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await session.signIn(email, password, csrf);
    requestMs.push(performance.now() - start);
  }

  const hash = await hashPassword(password);
  await verifyPassword(password, hash); // warm-up
  const bcryptMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await verifyPassword(password, hash);
    bcryptMs.push(performance.now() - start);
  }

  const request = summarize(requestMs);
  const bcrypt = summarize(bcryptMs);
  return { request, bcrypt, bcryptShare: bcrypt.median / request.median };
}
