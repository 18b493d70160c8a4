"use client";

import { useCallback } from "react";
import { SecondFactorStep } from "@/components/mfa/second-factor-step";
import { EnrollmentFlow } from "@/components/security/enrollment-flow";
import { postJson } from "@/lib/client/api";
import { loadPage } from "@/lib/client/navigation";
import type { OpenResponse } from "@/lib/mfa/api";

interface Props {
  initial: OpenResponse;
  callbackUrl: string;
  rememberDays: number;
  phoneUrl: string | null;
  appName: string;
}

export function MfaStep({ initial, callbackUrl, rememberDays, phoneUrl, appName }: Props) {
  const onPassed = useCallback(() => loadPage(callbackUrl), [callbackUrl]);
  const onCancel = useCallback(() => loadPage("/sign-in"), []);
  if (initial.status === "enroll" && initial.enrollNow) {
    // REQUIRE_2FA: this account has no second factor yet; it sets one up before it gets in.
    return (
      <div className="flex flex-col gap-4">
        <p className="text-sm text-slate-700">This site requires two-factor authentication. Set it up now to finish signing in.</p>
        <EnrollmentFlow
          appName={appName}
          email={initial.email}
          duringSignIn
          phoneUrl={phoneUrl}
          onFinished={onPassed}
          onCancel={() => void postJson("/api/mfa/cancel").finally(onCancel)}
        />
      </div>
    );
  }
  return <SecondFactorStep initial={initial} purpose="sign-in" rememberDays={rememberDays} phoneUrl={phoneUrl} onPassed={onPassed} onCancel={onCancel} />;
}
