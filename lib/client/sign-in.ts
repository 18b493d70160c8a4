import { signIn } from "next-auth/react";
import { toErrorCode, type ErrorCode } from "../errors";

/** Signs in through Auth.js's credentials callback; null on success, else the refusal's error code. */
export async function signInWithPassword(email: string, password: string): Promise<ErrorCode | null> {
  const result = await signIn("credentials", { email, password, redirect: false });
  return !result || result.error ? toErrorCode(result?.code) : null;
}
