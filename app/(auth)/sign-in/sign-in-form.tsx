"use client";

import { signOut } from "next-auth/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { signInWithPassword } from "@/lib/client/sign-in";
import { errorMessage, type ErrorCode } from "@/lib/errors";
import { loadPage } from "@/lib/client/navigation";
import { useHydrated } from "@/lib/client/use-hydrated";

interface Props {
  callbackUrl: string;
  initialError: ErrorCode | null;
  /** The server ended this browser's session (the password changed): clear its cookie. */
  sessionEnded: boolean;
}

export function SignInForm({ callbackUrl, initialError, sessionEnded }: Props) {
  const [error, setError] = useState<ErrorCode | null>(initialError);
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (sessionEnded) void signOut({ redirect: false });
  }, [sessionEnded]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const refused = await signInWithPassword(String(form.get("email") ?? ""), String(form.get("password") ?? ""));
      if (refused) {
        setError(refused);
        setBusy(false);
        if (passwordRef.current) {
          passwordRef.current.value = "";
          passwordRef.current.focus();
        }
        return;
      }
      loadPage(callbackUrl);
    } catch {
      setError("SERVICE_UNAVAILABLE");
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
      {sessionEnded ? <Alert tone="info">Your session has ended: it was signed out, your password changed, or it sat unused too long. Sign in again.</Alert> : null}
      <Alert tone="error">{error ? errorMessage(error) : null}</Alert>
      <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus inputMode="email" />
      <Field ref={passwordRef} label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" busy={busy} disabled={!hydrated}>
        Sign in
      </Button>
    </form>
  );
}
