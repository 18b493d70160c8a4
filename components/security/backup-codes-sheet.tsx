"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

interface Props {
  codes: string[];
  appName: string;
  email: string;
  /** "I saved them" is asked before `onDone` can be pressed. */
  doneLabel: string;
  busy?: boolean;
  onDone: () => void;
}

/** New backup codes, shown this once: copy, download or print them, then confirm they are saved. */
export function BackupCodesSheet({ codes, appName, email, doneLabel, busy = false, onDone }: Props) {
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const savedId = useId();
  const text = [`${appName} backup codes for ${email}`, `Created ${new Date().toISOString().slice(0, 10)}. Each code works once.`, "", ...codes, ""].join("\n");

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  async function copy() {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "backup-codes.txt";
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <div className="flex flex-col gap-4" data-testid="backup-codes-sheet">
      <h3 ref={headingRef} tabIndex={-1} className="text-base font-semibold focus:outline-none">
        Save your backup codes
      </h3>
      <p className="text-sm text-slate-700">
        If you lose your phone, each of these codes lets you sign in once. Keep them somewhere safe, like a password
        manager. <strong>They won&apos;t be shown again.</strong>
      </p>
      <ol className="grid grid-cols-1 gap-2 rounded-md border border-slate-200 bg-slate-50 p-4 font-mono text-base tracking-wider sm:grid-cols-2 print:border-0" data-testid="backup-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2 print:hidden">
        <Button variant="secondary" onClick={() => void copy()}>
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button variant="secondary" onClick={download}>
          Download (.txt)
        </Button>
        <Button variant="secondary" onClick={() => window.print()}>
          Print
        </Button>
      </div>
      <Alert tone="success">{copied ? "Copied to the clipboard." : null}</Alert>
      <div className="flex items-start gap-3 print:hidden">
        <input id={savedId} type="checkbox" checked={saved} onChange={(event) => setSaved(event.target.checked)} className="mt-1 size-4 accent-slate-900" />
        <label htmlFor={savedId} className="text-sm text-slate-700">
          I saved these codes somewhere safe
        </label>
      </div>
      <div className="print:hidden">
        <Button onClick={onDone} disabled={!saved} busy={busy}>
          {doneLabel}
        </Button>
      </div>
    </div>
  );
}
