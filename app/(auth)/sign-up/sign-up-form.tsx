"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { errorMessage, toErrorCode, type ErrorBody, type ErrorCode } from "@/lib/errors";
import { loadPage } from "@/lib/client/navigation";
import { signInWithPassword } from "@/lib/client/sign-in";
import { useHydrated } from "@/lib/client/use-hydrated";

const PASSWORD_ERRORS: ErrorCode[] = ["PASSWORD_TOO_SHORT", "PASSWORD_TOO_LONG", "PASSWORD_TOO_COMMON", "PASSWORD_CONTEXT"];

interface Props {
  callbackUrl: string;
  minLength: number;
  maxLength: number;
}

export function SignUpForm({ callbackUrl, minLength, maxLength }: Props) {
  const [error, setError] = useState<ErrorCode | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const response = await fetch("/api/sign-up", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as ErrorBody | null;
        const code = toErrorCode(body?.error?.code);
        // A password rule is shown by the password field; anything else at the top of the form.
        if (PASSWORD_ERRORS.includes(code)) setFields({ password: errorMessage(code) });
        else {
          setFields(body?.error?.fields ?? {});
          setError(code);
        }
        setBusy(false);
        return;
      }
      if (await signInWithPassword(email, password)) {
        loadPage("/sign-in");
        return;
      }
      loadPage(callbackUrl === "/" ? "/account" : callbackUrl);
    } catch {
      setError("SERVICE_UNAVAILABLE");
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
      <Alert tone="error">{error ? errorMessage(error) : null}</Alert>
      <Field label="Email" name="email" type="email" autoComplete="email" inputMode="email" required autoFocus error={fields.email} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={minLength}
        maxLength={maxLength}
        hint={`At least ${minLength} characters. A few unrelated words make a strong, memorable password.`}
        error={fields.password}
      />
      <Button type="submit" busy={busy} disabled={!hydrated}>
        Create account
      </Button>
    </form>
  );
}
