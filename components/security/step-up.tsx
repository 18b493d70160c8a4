"use client";

import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { SecondFactorStep } from "@/components/mfa/second-factor-step";
import { postJson, type ApiResult } from "@/lib/client/api";
import type { OpenResponse } from "@/lib/mfa/api";

/**
 * Sensitive changes need a second factor passed within the last few minutes. `protect(action)` runs the
 * action; if the server answers STEP_UP_REQUIRED, it asks for a second factor in a dialog and, once it
 * passes, runs the action again.
 */
export function useStepUp(phoneUrl: string | null): {
  protect: <T>(action: () => Promise<ApiResult<T>>) => Promise<ApiResult<T>>;
  dialog: ReactNode;
} {
  const [initial, setInitial] = useState<OpenResponse | null>(null);
  const settle = useRef<((passed: boolean) => void) | null>(null);

  const ask = useCallback(async (): Promise<ApiResult<OpenResponse>> => {
    const opened = await postJson<OpenResponse>("/api/mfa/step-up");
    if (opened.ok) setInitial(opened.data);
    return opened;
  }, []);

  const protect = useCallback(
    async <T,>(action: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> => {
      const first = await action();
      if (first.ok || first.code !== "STEP_UP_REQUIRED") return first;
      const opened = await ask();
      if (!opened.ok) return { ...opened, ok: false };
      const passed = await new Promise<boolean>((resolve) => {
        settle.current = resolve;
      });
      return passed ? action() : first;
    },
    [ask],
  );

  const close = useCallback((passed: boolean) => {
    setInitial(null);
    settle.current?.(passed);
    settle.current = null;
  }, []);

  const dialog = initial ? <StepUpDialog initial={initial} phoneUrl={phoneUrl} onClose={close} /> : null;
  return { protect, dialog };
}

function StepUpDialog({ initial, phoneUrl, onClose }: { initial: OpenResponse; phoneUrl: string | null; onClose: (passed: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const cancel = useCallback(() => onClose(false), [onClose]);
  const passed = useCallback(() => onClose(true), [onClose]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        void postJson("/api/mfa/cancel").finally(cancel);
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-6 shadow-xl backdrop:bg-slate-900/40"
    >
      <p id={titleId} className="mb-2 text-sm text-slate-600">
        For your security, confirm it&apos;s you before this change.
      </p>
      <SecondFactorStep initial={initial} purpose="step-up" rememberDays={0} phoneUrl={phoneUrl} onPassed={passed} onCancel={cancel} />
    </dialog>
  );
}
