import type { Metadata } from "next";
import Link from "next/link";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SignUpPage({ searchParams }: { searchParams: Search }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  const signInHref = callbackUrl === "/" ? "/sign-in" : `/sign-in?${new URLSearchParams({ callbackUrl })}`;
  return (
    <>
      <h1 className="text-2xl font-semibold">Create an account</h1>
      <SignUpForm callbackUrl={callbackUrl} minLength={PASSWORD_MIN_LENGTH} maxLength={PASSWORD_MAX_LENGTH} />
      <p className="text-sm text-slate-600">
        Already have an account?{" "}
        <Link href={signInHref} className="font-medium text-slate-900 underline underline-offset-4">
          Sign in
        </Link>
      </p>
    </>
  );
}
