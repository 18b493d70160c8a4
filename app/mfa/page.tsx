import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { getConfig } from "@/lib/config/env";
import { errorMessage, type ErrorCode } from "@/lib/errors";
import type { OpenResponse } from "@/lib/mfa/api";
import { loadMfaRequest } from "@/lib/mfa/mfa-request";
import { pageRequest } from "@/lib/mfa/page-request";
import { openSecondFactor } from "@/lib/mfa/second-factor";
import { MfaStep } from "./mfa-step";

export const metadata: Metadata = { title: "Two-factor authentication" };

type Search = Promise<Record<string, string | string[] | undefined>>;

/**
 * The second-factor step of sign-in. The gate sends every session with a pending challenge here; the page
 * checks Duo's health and runs /preauth on the server, then hands the result to the client step.
 */
export default async function MfaPage({ searchParams }: { searchParams: Search }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  const config = getConfig();
  const loaded = await loadMfaRequest(await pageRequest("/mfa"), "action");
  const initial: OpenResponse = loaded.ok ? await openView(loaded.context) : refusedView(loaded.code);
  return (
    <div className="mx-auto flex w-full max-w-md flex-col gap-6">
      <h1 className="text-2xl font-semibold">Two-factor authentication</h1>
      <Card>
        <MfaStep
          initial={initial}
          callbackUrl={callbackUrl}
          rememberDays={config.policy.rememberBrowserDays}
          phoneUrl={config.duo.mode === "emulator" ? `${config.duo.endpoint.origin}/phone` : null}
          appName={config.appName}
        />
      </Card>
    </div>
  );
}

/** Refused by the limits (or their store being down): said as such. Anything else: this attempt is over. */
function refusedView(code: ErrorCode): OpenResponse {
  return code === "RATE_LIMITED" || code === "SERVICE_UNAVAILABLE" ? { status: "denied", message: errorMessage(code) } : { status: "expired" };
}

async function openView(context: Parameters<typeof openSecondFactor>[0]): Promise<OpenResponse> {
  const view = await openSecondFactor(context);
  // A pass without user action is completed by the client (it needs to set cookies).
  return view.status === "passed" ? { status: "passed", next: "done" } : view;
}
