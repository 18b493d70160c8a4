"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { ApiResult } from "@/lib/client/api";
import { postJson } from "@/lib/client/api";
import { loadPage } from "@/lib/client/navigation";
import { useHydrated } from "@/lib/client/use-hydrated";
import { errorMessage, type ErrorCode } from "@/lib/errors";

const NEW_PASSWORD_ERRORS: ErrorCode[] = ["PASSWORD_TOO_SHORT", "PASSWORD_TOO_LONG", "PASSWORD_TOO_COMMON", "PASSWORD_CONTEXT", "PASSWORD_UNCHANGED"];

interface Props {
  /** Runs the request, asking for a second factor first when the server wants a recent one. */
  protect: <T>(action: () => Promise<ApiResult<T>>) => Promise<ApiResult<T>>;
}

/** Change the password; every session ends, this one included, so the user signs in again with the new one. */
export function PasswordForm({ protect }: Props) {
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<{ currentPassword?: string; newPassword?: string }>({});
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setFields({});
    setError(null);
    const result = await protect(() =>
      postJson<{ signedOut: true }>("/api/account/password", {
        currentPassword: String(form.get("currentPassword") ?? ""),
        newPassword: String(form.get("newPassword") ?? ""),
      }),
    );
    if (result.ok) return loadPage("/sign-in?reason=session-ended");
    setBusy(false);
    if (result.code === "CURRENT_PASSWORD_WRONG") setFields({ currentPassword: errorMessage(result.code) });
    else if (NEW_PASSWORD_ERRORS.includes(result.code)) setFields({ newPassword: errorMessage(result.code) });
    else setError(result.message);
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <Alert tone="error">{error}</Alert>
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required error={fields.currentPassword} />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 12 characters. You'll be signed out everywhere and sign in again with it."
        error={fields.newPassword}
      />
      <div>
        <Button type="submit" variant="secondary" busy={busy} disabled={!hydrated}>
          Change password
        </Button>
      </div>
    </form>
  );
}
