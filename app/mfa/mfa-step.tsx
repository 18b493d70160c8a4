"use client";

import { useCallback } from "react";
import { SecondFactorStep } from "@/components/mfa/second-factor-step";
import { loadPage } from "@/lib/client/navigation";
import type { OpenResponse } from "@/lib/mfa/api";

interface Props {
  initial: OpenResponse;
  callbackUrl: string;
  rememberDays: number;
  phoneUrl: string | null;
}

export function MfaStep({ initial, callbackUrl, rememberDays, phoneUrl }: Props) {
  const onPassed = useCallback(() => loadPage(callbackUrl), [callbackUrl]);
  const onCancel = useCallback(() => loadPage("/sign-in"), []);
  return <SecondFactorStep initial={initial} purpose="sign-in" rememberDays={rememberDays} phoneUrl={phoneUrl} onPassed={onPassed} onCancel={onCancel} />;
}
