import type { Metadata } from "next";
import Link from "next/link";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { SESSION_ENDED_REASON } from "@/lib/auth/gate";
import { toErrorCode } from "@/lib/errors";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  // Auth.js sends a form post without JavaScript back here with ?error=…&code=…
  const initialError = typeof params.error === "string" ? toErrorCode(params.code) : null;
  const sessionEnded = params.reason === SESSION_ENDED_REASON;
  const signUpHref = callbackUrl === "/" ? "/sign-up" : `/sign-up?${new URLSearchParams({ callbackUrl })}`;
  return (
    <>
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <SignInForm callbackUrl={callbackUrl} initialError={initialError} sessionEnded={sessionEnded} />
      <p className="text-sm text-slate-600">
        New here?{" "}
        <Link href={signUpHref} className="font-medium text-slate-900 underline underline-offset-4">
          Create an account
        </Link>
      </p>
    </>
  );
}
