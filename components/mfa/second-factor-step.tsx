"use client";

import { useCallback, useEffect, useId, useRef, useState } from "react";
import useSWR from "swr";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { postJson } from "@/lib/client/api";
import { useHydrated } from "@/lib/client/use-hydrated";
import type { ErrorCode } from "@/lib/errors";
import type { CodeFailureResponse, DeviceView, OpenResponse, PassedResponse, SendResponse, StatusResponse } from "@/lib/mfa/api";
import { CodeForm } from "./code-form";

/** Duo Push requests expire after 60 s (Duo's default); the countdown shows what is left. */
const PUSH_LIFETIME_SECONDS = 60;
const CALL_LIFETIME_SECONDS = 60;

type Ready = Extract<OpenResponse, { status: "ready" }>;

type Stage =
  | { kind: "choose"; notice?: { tone: "error" | "info"; text: string } }
  | { kind: "waiting"; factor: "push" | "phone"; device: DeviceView; verificationCode: string | null; sentAt: number; message: string; round: number }
  | { kind: "code"; method: "passcode" | "backup-code"; hint?: string; error?: string; tries?: number }
  | { kind: "ended"; tone: "error" | "info"; title: string; text: string };

export interface SecondFactorStepProps {
  initial: OpenResponse;
  purpose: "sign-in" | "step-up" | "enroll";
  /** Days "remember this browser" lasts; 0 hides the option. Sign-in only. */
  rememberDays: number;
  /** The virtual Duo Mobile, in emulator mode. */
  phoneUrl: string | null;
  onPassed: (next: PassedResponse["next"]) => void;
  onCancel: () => void;
}

function label(device: DeviceView): string {
  return device.label;
}

function initialStage(initial: OpenResponse): Stage {
  switch (initial.status) {
    case "ready":
    case "passed":
      return { kind: "choose" };
    case "unavailable":
      return initial.backupCodes > 0
        ? { kind: "code", method: "backup-code", hint: "Duo can't be reached right now. You can still sign in with a backup code." }
        : { kind: "ended", tone: "error", title: "Duo is unavailable", text: "Duo can't be reached right now, and you have no backup codes left. Try again in a few minutes." };
    case "enroll":
      return initial.backupCodes > 0
        ? { kind: "code", method: "backup-code", hint: "Duo has no device for your account. Use a backup code, then set up Duo again from your account page." }
        : { kind: "ended", tone: "error", title: "No Duo device", text: "Duo has no device for your account, and you have no backup codes. Contact your administrator." };
    case "denied":
      return { kind: "ended", tone: "error", title: "Sign-in refused", text: initial.message };
    case "locked":
      return {
        kind: "ended",
        tone: "error",
        title: "Too many attempts",
        text: `Two-factor sign-in is paused on this account until ${new Date(initial.until).toLocaleTimeString()}. Try again then.`,
      };
    case "expired":
      return { kind: "ended", tone: "info", title: "This attempt has ended", text: "Sign in again to continue." };
  }
}

export function SecondFactorStep({ initial, purpose, rememberDays, phoneUrl, onPassed, onCancel }: SecondFactorStepProps) {
  const ready: Ready | null = initial.status === "ready" ? initial : null;
  const devices = ready?.devices ?? [];
  const [deviceId, setDeviceId] = useState(devices.find((d) => d.capabilities.includes("push"))?.id ?? devices[0]?.id ?? "");
  const [limits, setLimits] = useState(ready ? { pushesLeft: ready.pushesLeft, callsLeft: ready.callsLeft, smsLeft: ready.smsLeft, attemptsLeft: ready.attemptsLeft } : null);
  const [stage, setStage] = useState<Stage>(() => initialStage(initial));
  const [remember, setRemember] = useState(false);
  const hydrated = useHydrated();
  const [busyState, setBusy] = useState(false);
  const busy = busyState || !hydrated;
  const [announcement, setAnnouncement] = useState("");
  const headingRef = useRef<HTMLHeadingElement>(null);
  const rememberId = useId();
  const device = devices.find((d) => d.id === deviceId) ?? devices[0];
  const backupCodes = initial.status === "ready" || initial.status === "unavailable" || initial.status === "enroll" ? initial.backupCodes : 0;
  const offerRemember = purpose === "sign-in" && rememberDays > 0 && initial.status === "ready";

  // Duo said allow (or fail-open applied) before the user did anything: complete it at once.
  useEffect(() => {
    if (initial.status !== "passed") return;
    void postJson<PassedResponse>("/api/mfa/complete").then((result) => {
      if (result.ok) onPassed(result.data.next);
      else setStage({ kind: "ended", tone: "error", title: "Something went wrong", text: result.message });
    });
  }, [initial.status, onPassed]);

  // Each new stage is announced and takes the focus, so keyboard and screen-reader users follow along.
  useEffect(() => {
    if (stage.kind !== "code") headingRef.current?.focus();
  }, [stage.kind]);

  const passed = useCallback(
    (next: PassedResponse["next"]) => {
      setAnnouncement("Verified.");
      onPassed(next);
    },
    [onPassed],
  );

  const fail = useCallback((code: ErrorCode, message: string) => {
    if (code === "CHALLENGE_EXPIRED" || code === "ATTEMPTS_EXHAUSTED" || code === "ACCOUNT_LOCKED" || code === "FRAUD_REPORTED") {
      setStage({ kind: "ended", tone: "error", title: "This attempt has ended", text: message });
    } else {
      setStage({ kind: "choose", notice: { tone: "error", text: message } });
    }
  }, []);

  async function send(kind: "push" | "call" | "sms", target: DeviceView) {
    setBusy(true);
    const result = await postJson<SendResponse | PassedResponse>("/api/mfa/send", { kind, device: target.id, ...(offerRemember ? { remember } : {}) });
    setBusy(false);
    if (!result.ok) return fail(result.code, result.message);
    if (result.data.status === "passed") return passed(result.data.next);
    const sent = result.data;
    setLimits((current) => (current ? { ...current, ...sent.limits } : current));
    if (sent.status === "sent") {
      const hint = sent.smsNextcode ? `We texted passcodes to ${label(target)}. Enter the one that starts with ${sent.smsNextcode}.` : `We texted passcodes to ${label(target)}.`;
      setAnnouncement(hint);
      setStage({ kind: "code", method: "passcode", hint });
      return;
    }
    const factor = kind === "call" ? "phone" : "push";
    const message = factor === "push" ? `Push sent to ${label(target)}. Approve it in Duo Mobile.` : `Calling ${label(target)}…`;
    setAnnouncement(message);
    setStage((current) => ({
      kind: "waiting",
      factor,
      device: target,
      verificationCode: sent.verificationCode,
      sentAt: Date.now(),
      message,
      round: current.kind === "waiting" ? current.round + 1 : 1,
    }));
  }

  async function verify(method: "passcode" | "backup-code", code: string) {
    setBusy(true);
    const result = await postJson<PassedResponse>("/api/mfa/verify", { method, code, ...(offerRemember ? { remember } : {}) });
    setBusy(false);
    if (result.ok) return passed(result.data.next);
    const attemptsLeft = typeof (result.extra as Partial<CodeFailureResponse>).attemptsLeft === "number" ? Number(result.extra.attemptsLeft) : null;
    if (result.code === "CODE_INVALID") {
      const text = attemptsLeft !== null ? `${result.message} ${attemptsLeft} ${attemptsLeft === 1 ? "try" : "tries"} left.` : result.message;
      setAnnouncement(text);
      setStage((current) => (current.kind === "code" ? { ...current, error: text, tries: (current.tries ?? 0) + 1 } : current));
      return;
    }
    if (result.code === "DUO_UNAVAILABLE" || result.code === "DUO_LOCKED_OUT") {
      setStage({ kind: "code", method: "backup-code", hint: result.message });
      return;
    }
    fail(result.code, result.message);
  }

  async function cancel() {
    setBusy(true);
    await postJson("/api/mfa/cancel").catch(() => undefined);
    onCancel();
  }

  // The long-poll loop: while a push or call waits, ask our status route again as soon as it answers.
  const inFlight = useRef<{ round: number; controller: AbortController } | null>(null);
  const waitingRound = stage.kind === "waiting" ? stage.round : null;
  const waitingKey: [string, number] | null = waitingRound === null ? null : ["mfa-status", waitingRound];
  useEffect(() => {
    // Switching method, sending another push or cancelling stops this round's request at once.
    return () => {
      if (inFlight.current && inFlight.current.round === waitingRound) inFlight.current.controller.abort();
    };
  }, [waitingRound]);
  useSWR(
    waitingKey,
    async ([, round]: [string, number]) => {
      inFlight.current?.controller.abort();
      const controller = new AbortController();
      inFlight.current = { round, controller };
      return postJson<StatusResponse>("/api/mfa/status", {}, controller.signal);
    },
    {
      refreshInterval: (latest) => (latest?.ok && latest.data.status === "waiting" ? 1 : 0),
      refreshWhenHidden: true,
      revalidateOnFocus: false,
      revalidateOnReconnect: true,
      dedupingInterval: 0,
      shouldRetryOnError: false,
      onSuccess(result) {
        if (!result.ok) return fail(result.code, result.message);
        const answer = result.data;
        switch (answer.status) {
          case "passed":
            return passed(answer.next);
          case "waiting":
            setStage((current) => (current.kind === "waiting" && current.message !== answer.message ? { ...current, message: answer.message } : current));
            return;
          case "idle":
            return;
          case "timeout":
          case "denied":
            setAnnouncement(answer.message);
            return setStage({ kind: "choose", notice: { tone: "error", text: answer.message } });
          case "duo-locked-out":
          case "unavailable":
            setAnnouncement(answer.message);
            return setStage(backupCodes > 0 ? { kind: "code", method: "backup-code", hint: answer.message } : { kind: "ended", tone: "error", title: "Duo is unavailable", text: answer.message });
          case "fraud":
          case "locked":
          case "expired":
            setAnnouncement(answer.message);
            return setStage({ kind: "ended", tone: "error", title: answer.status === "fraud" ? "Sign-in stopped" : "This attempt has ended", text: answer.message });
        }
      },
    },
  );

  async function toggleRemember(value: boolean) {
    setRemember(value);
    if (stage.kind === "waiting") await postJson("/api/mfa/remember", { remember: value });
  }

  const title = stage.kind === "ended" ? stage.title : purpose === "sign-in" ? "Verify it's you" : "Confirm it's you";

  return (
    <div className="flex flex-col gap-5">
      <div aria-live="polite" role="status" className="sr-only">
        {announcement}
      </div>
      <h2 ref={headingRef} tabIndex={-1} className="text-lg font-semibold focus:outline-none">
        {title}
      </h2>

      {stage.kind === "choose" && device ? (
        <div className="flex flex-col gap-4">
          {stage.notice ? <Alert tone={stage.notice.tone}>{stage.notice.text}</Alert> : null}
          {devices.length > 1 ? (
            <label className="flex flex-col gap-1.5 text-sm font-medium">
              Device
              <select
                value={deviceId}
                disabled={!hydrated}
                onChange={(event) => setDeviceId(event.target.value)}
                className="min-h-11 rounded-md border border-slate-300 bg-white px-3 text-base"
              >
                {devices.map((d) => (
                  <option key={d.id} value={d.id}>
                    {label(d)}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <p className="text-sm text-slate-600">
              Using <span className="font-medium text-slate-900">{label(device)}</span>
            </p>
          )}
          <div className="flex flex-col gap-2">
            {device.capabilities.includes("push") ? (
              <Button onClick={() => void send("push", device)} busy={busyState} disabled={!hydrated || (limits?.pushesLeft ?? 0) === 0}>
                Send Duo Push
              </Button>
            ) : null}
            <Button variant="secondary" onClick={() => setStage({ kind: "code", method: "passcode" })} disabled={busy}>
              Enter a passcode
            </Button>
            {device.capabilities.includes("phone") ? (
              <Button variant="secondary" onClick={() => void send("call", device)} disabled={busy || (limits?.callsLeft ?? 0) === 0}>
                Call me
              </Button>
            ) : null}
            {device.capabilities.includes("sms") ? (
              <Button variant="secondary" onClick={() => void send("sms", device)} disabled={busy || (limits?.smsLeft ?? 0) === 0}>
                Text me passcodes
              </Button>
            ) : null}
            {backupCodes > 0 ? (
              <Button variant="secondary" onClick={() => setStage({ kind: "code", method: "backup-code" })} disabled={busy}>
                Use a backup code
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}

      {stage.kind === "waiting" ? <Waiting stage={stage} /> : null}

      {stage.kind === "waiting" ? (
        <div className="flex flex-col gap-2 sm:flex-row">
          {stage.factor === "push" ? (
            <Button variant="secondary" onClick={() => void send("push", stage.device)} busy={busyState} disabled={!hydrated || (limits?.pushesLeft ?? 0) === 0}>
              Send another push{limits ? ` (${limits.pushesLeft} left)` : ""}
            </Button>
          ) : null}
          <Button variant="secondary" onClick={() => setStage({ kind: "choose" })}>
            Use another method
          </Button>
        </div>
      ) : null}

      {stage.kind === "code" ? (
        <div className="flex flex-col gap-3">
          <CodeForm
            key={`${stage.method}-${stage.tries ?? 0}`}
            method={stage.method}
            hint={stage.hint}
            error={stage.error}
            busy={busyState}
            disabled={!hydrated}
            onSubmit={(code) => void verify(stage.method, code)}
          />
          {initial.status === "ready" ? (
            <Button variant="link" onClick={() => setStage({ kind: "choose" })}>
              Use another method
            </Button>
          ) : null}
        </div>
      ) : null}

      {stage.kind === "ended" ? <Alert tone={stage.tone}>{stage.text}</Alert> : null}

      {offerRemember && stage.kind !== "ended" ? (
        <div className="flex items-start gap-3">
          <input
            id={rememberId}
            type="checkbox"
            checked={remember}
            disabled={!hydrated}
            onChange={(event) => void toggleRemember(event.target.checked)}
            className="mt-1 size-4 accent-slate-900"
          />
          <label htmlFor={rememberId} className="text-sm text-slate-700">
            Don&apos;t ask again on this browser for {rememberDays} days
          </label>
        </div>
      ) : null}

      {phoneUrl && stage.kind !== "ended" ? (
        <p className="text-sm text-slate-600">
          Emulator mode:{" "}
          <a href={phoneUrl} target="_blank" rel="noreferrer" className="font-medium text-slate-900 underline underline-offset-4">
            open the virtual Duo Mobile
          </a>
        </p>
      ) : null}

      <div className="border-t border-slate-200 pt-4">
        <Button variant="link" onClick={() => void cancel()} disabled={busy && stage.kind !== "waiting"}>
          {stage.kind === "ended" && purpose === "sign-in" ? "Back to sign-in" : "Cancel"}
        </Button>
      </div>
    </div>
  );
}

function Waiting({ stage }: { stage: Extract<Stage, { kind: "waiting" }> }) {
  const lifetime = stage.factor === "push" ? PUSH_LIFETIME_SECONDS : CALL_LIFETIME_SECONDS;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, lifetime - Math.floor((now - stage.sentAt) / 1000));
  return (
    <div className="flex flex-col gap-4">
      {stage.verificationCode ? (
        <div className="rounded-md border border-slate-200 bg-slate-50 p-4 text-center">
          <p className="text-sm text-slate-600">Enter this code in Duo Mobile</p>
          <p className="mt-1 font-mono text-3xl font-semibold tracking-[0.3em]" data-testid="verification-code">
            {stage.verificationCode}
          </p>
        </div>
      ) : null}
      <div className="flex items-center gap-3">
        <Spinner />
        <p className="text-sm" data-testid="mfa-waiting">
          {stage.message}
        </p>
      </div>
      {/* Fixed width, so the countdown never shifts the layout. */}
      <p className="text-sm tabular-nums text-slate-600">
        {left > 0 ? `Expires in ${left} s` : "Waiting for Duo to confirm…"}
      </p>
    </div>
  );
}
