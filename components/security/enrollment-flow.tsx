"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import useSWR from "swr";
import { SecondFactorStep } from "@/components/mfa/second-factor-step";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { postJson } from "@/lib/client/api";
import { useHydrated } from "@/lib/client/use-hydrated";
import type { EnrollmentView, StartResult } from "@/lib/enrollment/enrollment";
import type { OpenResponse } from "@/lib/mfa/api";
import { BackupCodesSheet } from "./backup-codes-sheet";

/** How often the page asks whether the QR code was scanned (paused while the tab is hidden). */
export const ENROLLMENT_POLL_INTERVAL_MS = 1_000;

type Step =
  | { kind: "intro"; error?: string }
  | { kind: "existing"; devices: number }
  | { kind: "scan"; barcodeUrl: string; expiresAt: string; virtualPhoneUrl: string | null }
  | { kind: "expired" }
  | { kind: "confirm"; initial: OpenResponse }
  | { kind: "codes"; codes: string[] }
  | { kind: "done" };

interface Props {
  appName: string;
  email: string;
  /** Inside the sign-in (REQUIRE_2FA): the step-up and confirmation run on the sign-in challenge. */
  duringSignIn: boolean;
  phoneUrl: string | null;
  onFinished: () => void;
  onCancel?: () => void;
}

export function EnrollmentFlow({ appName, email, duringSignIn, phoneUrl, onFinished, onCancel }: Props) {
  const [step, setStep] = useState<Step>({ kind: "intro" });
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Set once a poll has seen the scan: a later poll (the next tick, or a focus) that lands while the
  // confirmation is still being opened must not open a second one, which would replace the challenge the
  // user is about to approve a push on.
  const scanSeen = useRef(false);

  useEffect(() => {
    if (step.kind !== "codes" && step.kind !== "confirm") headingRef.current?.focus();
  }, [step.kind]);

  const confirm = useCallback(async () => {
    const opened = await postJson<OpenResponse>("/api/mfa/enrollment/confirm");
    if (!opened.ok) return setStep({ kind: "intro", error: opened.message });
    setStep({ kind: "confirm", initial: opened.data });
  }, []);

  async function start(link = false) {
    setBusy(true);
    const result = await postJson<StartResult>("/api/mfa/enrollment/start", link ? { link: true } : {});
    setBusy(false);
    if (!result.ok) return setStep({ kind: "intro", error: result.message });
    scanSeen.current = false;
    await show(result.data);
  }

  async function show(view: StartResult | EnrollmentView) {
    switch (view.step) {
      case "existing":
        return setStep({ kind: "existing", devices: view.devices });
      case "waiting":
        return setStep({ kind: "scan", barcodeUrl: view.barcodeUrl, expiresAt: view.expiresAt, virtualPhoneUrl: view.virtualPhoneUrl });
      case "activated":
        return confirm();
      case "confirmed":
        return codes();
      case "expired":
        return setStep({ kind: "expired" });
      case "none":
        return setStep({ kind: "intro" });
    }
  }

  async function codes() {
    const result = await postJson<{ codes: string[] }>("/api/mfa/enrollment/backup-codes");
    if (!result.ok) return setStep({ kind: "intro", error: result.message });
    setStep({ kind: "codes", codes: result.data.codes });
  }

  async function finish() {
    setBusy(true);
    const result = await postJson<{ next: "done" }>("/api/mfa/enrollment/finish");
    setBusy(false);
    if (!result.ok) return setStep({ kind: "intro", error: result.message });
    setStep({ kind: "done" });
    onFinished();
  }

  // While the QR code is shown, ask our route (which asks Duo) whether it was scanned.
  useSWR(step.kind === "scan" ? "enrollment-status" : null, () => postJson<EnrollmentView>("/api/mfa/enrollment/status"), {
    refreshInterval: ENROLLMENT_POLL_INTERVAL_MS,
    revalidateOnFocus: true,
    dedupingInterval: 0,
    onSuccess(result) {
      if (!result.ok || result.data.step === "waiting" || scanSeen.current) return;
      scanSeen.current = true;
      void show(result.data);
    },
  });

  return (
    <div className="flex flex-col gap-5">
      {step.kind === "intro" ? (
        <div className="flex flex-col gap-4">
          <h3 ref={headingRef} tabIndex={-1} className="text-base font-semibold focus:outline-none">
            Turn on two-factor authentication
          </h3>
          <p className="text-sm text-slate-700">
            After your password, you&apos;ll confirm each sign-in with Duo Mobile on your phone. You&apos;ll need the free Duo
            Mobile app from the App Store or Google Play.
          </p>
          <Alert tone="error">{step.error ?? null}</Alert>
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => void start()} busy={busy} disabled={!hydrated}>
              {duringSignIn ? "Set up Duo Mobile" : "Turn on two-factor authentication"}
            </Button>
            {onCancel ? (
              <Button variant="secondary" onClick={onCancel} disabled={!hydrated}>
                Cancel
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}

      {step.kind === "existing" ? (
        <div className="flex flex-col gap-4">
          <h3 ref={headingRef} tabIndex={-1} className="text-base font-semibold focus:outline-none">
            You already use Duo
          </h3>
          <p className="text-sm text-slate-700">
            Duo already knows {email} with {step.devices} {step.devices === 1 ? "device" : "devices"}. Use that account: you&apos;ll
            confirm with one of its devices next.
          </p>
          <Button onClick={() => void start(true)} busy={busy}>
            Use my Duo account
          </Button>
        </div>
      ) : null}

      {step.kind === "scan" ? <Scan step={step} headingRef={headingRef} /> : null}

      {step.kind === "expired" ? (
        <div className="flex flex-col gap-4">
          <h3 ref={headingRef} tabIndex={-1} className="text-base font-semibold focus:outline-none">
            This code expired
          </h3>
          <p className="text-sm text-slate-700">QR codes work for a few minutes. Get a new one and scan it.</p>
          <Button onClick={() => void start()} busy={busy}>
            Get a new code
          </Button>
        </div>
      ) : null}

      {step.kind === "confirm" ? (
        <div className="flex flex-col gap-3">
          <Alert tone="success">Duo Mobile is set up. Now confirm it works: approve a push, or enter a passcode from the app.</Alert>
          <SecondFactorStep
            initial={step.initial}
            purpose={duringSignIn ? "sign-in" : "enroll"}
            rememberDays={0}
            phoneUrl={phoneUrl}
            onPassed={() => void codes()}
            onCancel={() => setStep({ kind: "intro" })}
          />
        </div>
      ) : null}

      {step.kind === "codes" ? (
        <BackupCodesSheet codes={step.codes} appName={appName} email={email} doneLabel="Turn on two-factor authentication" busy={busy} onDone={() => void finish()} />
      ) : null}

      {step.kind === "done" ? (
        <Alert tone="success">
          <span ref={headingRef} tabIndex={-1}>
            Two-factor authentication is on.
          </span>
        </Alert>
      ) : null}
    </div>
  );
}

function Scan({ step, headingRef }: { step: Extract<Step, { kind: "scan" }>; headingRef: React.RefObject<HTMLHeadingElement | null> }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const secondsLeft = Math.max(0, Math.round((new Date(step.expiresAt).getTime() - now) / 1000));
  const minutes = Math.floor(secondsLeft / 60);
  const seconds = String(secondsLeft % 60).padStart(2, "0");
  return (
    <div className="flex flex-col gap-4">
      <h3 ref={headingRef} tabIndex={-1} className="text-base font-semibold focus:outline-none">
        Scan this code with Duo Mobile
      </h3>
      <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
        <li>Install Duo Mobile on your phone and open it.</li>
        <li>Tap &ldquo;Add&rdquo; (or +), then &ldquo;Use QR code&rdquo;.</li>
        <li>Point the camera at this code.</li>
      </ol>
      <div className="flex flex-col items-center gap-3 sm:flex-row sm:items-start">
        {/* Fixed size, so nothing moves while the page polls. */}
        {/* eslint-disable-next-line @next/next/no-img-element -- Duo serves the QR image from its own host */}
        <img src={step.barcodeUrl} alt="QR code to scan with Duo Mobile" width={200} height={200} className="size-[200px] rounded border border-slate-200 bg-white" />
        <div className="flex flex-col gap-2 text-sm">
          <p className="flex items-center gap-2" role="status">
            <Spinner /> Waiting for you to scan the code…
          </p>
          <p className="tabular-nums text-slate-600">
            Expires in {minutes}:{seconds}
          </p>
          {step.virtualPhoneUrl ? (
            <a href={step.virtualPhoneUrl} target="_blank" rel="noreferrer" className="font-medium text-slate-900 underline underline-offset-4" data-testid="virtual-phone-link">
              Emulator mode: scan it with the virtual Duo Mobile
            </a>
          ) : null}
        </div>
      </div>
    </div>
  );
}
