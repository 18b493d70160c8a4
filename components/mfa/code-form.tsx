"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export interface CodeFormProps {
  method: "passcode" | "backup-code";
  /** Shown under the field, e.g. which SMS passcode to use. */
  hint?: string;
  error?: string;
  busy: boolean;
  disabled?: boolean;
  onSubmit: (code: string) => void;
}

/** One field for a passcode (digits, filled from SMS by the browser) or a backup code. */
export function CodeForm({ method, hint, error, busy, disabled = false, onSubmit }: CodeFormProps) {
  const [value, setValue] = useState("");
  const inputRef = useRef<HTMLInputElement>(null);

  // The parent gives each attempt its own key, so after a wrong code the field comes back empty and focused.
  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (value.trim() !== "") onSubmit(value.trim());
  }

  const passcode = method === "passcode";
  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <Field
        ref={inputRef}
        label={passcode ? "Passcode" : "Backup code"}
        name={passcode ? "passcode" : "backup-code"}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        autoComplete={passcode ? "one-time-code" : "off"}
        inputMode={passcode ? "numeric" : "text"}
        pattern={passcode ? "[0-9]*" : undefined}
        maxLength={passcode ? 9 : 32}
        spellCheck={false}
        autoCapitalize="characters"
        className="font-mono tracking-widest"
        hint={hint ?? (passcode ? "6 to 9 digits, from Duo Mobile, a text message, or a hardware token." : "One of the codes you saved, like K7QM-4XHR-9TWC-PD2N.")}
        error={error}
        required
      />
      <Button type="submit" busy={busy} disabled={disabled}>
        Verify
      </Button>
    </form>
  );
}
