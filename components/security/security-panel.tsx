"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CAPABILITIES, eventLabel, resultLabel } from "@/lib/account/labels";
import type { DuoDeviceSummary } from "@/lib/account/security";
import { postJson } from "@/lib/client/api";
import { useHydrated } from "@/lib/client/use-hydrated";
import { BACKUP_CODE_COUNT } from "@/lib/backup-codes/constants";
import { BackupCodesSheet } from "./backup-codes-sheet";
import { EnrollmentFlow } from "./enrollment-flow";
import { PasswordForm } from "./password-form";
import { useStepUp } from "./step-up";

export interface SecurityData {
  email: string;
  twoFactorEnabled: boolean;
  twoFactorSince: string | null;
  devices: DuoDeviceSummary[] | null;
  backupCodesRemaining: number;
  backupCodesLow: boolean;
  browsers: Array<{ id: string; label: string; ipAddress: string | null; createdAt: string; lastUsedAt: string; expiresAt: string }>;
  sessions: Array<{ id: string; label: string; ipAddress: string | null; createdAt: string; lastSeenAt: string; current: boolean }>;
  activity: Array<{ id: string; at: string; type: string; method: string | null; result: string; ipAddress: string | null; browser: string }>;
}

interface Props {
  data: SecurityData;
  appName: string;
  phoneUrl: string | null;
}

export function SecurityPanel({ data, appName, phoneUrl }: Props) {
  const router = useRouter();
  const hydrated = useHydrated();
  const { protect, dialog } = useStepUp(phoneUrl);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [newCodes, setNewCodes] = useState<string[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function run(name: string, action: () => Promise<{ ok: boolean; message?: string }>, success: string) {
    setBusy(name);
    setMessage(null);
    const result = await action();
    setBusy(null);
    if (!result.ok) return setMessage({ tone: "error", text: result.message ?? "Something went wrong." });
    setMessage({ tone: "success", text: success });
    router.refresh();
  }

  async function regenerate() {
    setBusy("regenerate");
    setMessage(null);
    const result = await protect(() => postJson<{ codes: string[] }>("/api/account/backup-codes"));
    setBusy(null);
    if (!result.ok) return setMessage({ tone: "error", text: result.message });
    setNewCodes(result.data.codes);
  }

  return (
    <div className="flex flex-col gap-6">
      {dialog}
      <Alert tone={message?.tone ?? "success"}>{message?.text ?? null}</Alert>

      <Card>
        <CardHeader
          title="Two-factor authentication"
          description={data.twoFactorEnabled ? `On since ${data.twoFactorSince ?? "—"}.` : "Off. Your account is protected by your password alone."}
        />
        <p className="sr-only" data-testid="security-2fa-status">
          {data.twoFactorEnabled ? "On" : "Off"}
        </p>
        {data.twoFactorEnabled ? (
          <div className="flex flex-col gap-3">
            <p className="text-sm text-slate-600">
              Turning it off deletes your backup codes and forgets your remembered browsers. Your Duo account and its devices stay in
              Duo: this app cannot remove them (that needs Duo&apos;s Admin API).
            </p>
            <div>
              <Button
                variant="danger"
                busy={busy === "disable"}
                disabled={!hydrated || busy !== null}
                onClick={() => void run("disable", () => protect(() => postJson("/api/account/two-factor/disable")), "Two-factor authentication is off.")}
              >
                Turn off two-factor authentication
              </Button>
            </div>
          </div>
        ) : (
          <EnrollmentFlow appName={appName} email={data.email} duringSignIn={false} phoneUrl={phoneUrl} onFinished={() => router.refresh()} />
        )}
      </Card>

      {data.twoFactorEnabled ? (
        <Card>
          <CardHeader title="Your Duo devices" />
          {data.devices === null ? (
            <p className="text-sm text-slate-600">Duo can&apos;t be reached right now, so your devices can&apos;t be listed.</p>
          ) : data.devices.length === 0 ? (
            <p className="text-sm text-slate-600">Duo has no device for your account.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {data.devices.map((device) => (
                <li key={device.id} className="flex flex-col gap-0.5 py-2 text-sm">
                  <span className="font-medium">{device.name}</span>
                  <span className="text-slate-600">
                    {device.type === "token" ? "Hardware token" : device.number ? `Phone ${device.number}` : "Phone"}
                    {device.capabilities.length > 0 ? ` · ${device.capabilities.map((c) => CAPABILITIES[c] ?? c).join(", ")}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      ) : null}

      {data.twoFactorEnabled ? (
        <Card>
          <CardHeader title="Backup codes" description="One-time codes for when your phone isn't with you." />
          {newCodes ? (
            <BackupCodesSheet
              codes={newCodes}
              appName={appName}
              email={data.email}
              doneLabel="Done"
              onDone={() => {
                setNewCodes(null);
                router.refresh();
              }}
            />
          ) : (
            <div className="flex flex-col gap-3">
              <p className="text-sm" data-testid="backup-codes-remaining">
                {data.backupCodesRemaining} of {BACKUP_CODE_COUNT} left
              </p>
              {data.backupCodesLow ? <Alert tone="warning">You&apos;re running out of backup codes. Create new ones and save them.</Alert> : null}
              <div>
                <Button variant="secondary" busy={busy === "regenerate"} disabled={!hydrated || busy !== null} onClick={() => void regenerate()}>
                  Create new backup codes
                </Button>
              </div>
            </div>
          )}
        </Card>
      ) : null}

      <Card>
        <CardHeader title="Remembered browsers" description="Browsers that skip the second factor until they expire." />
        {data.browsers.length === 0 ? (
          <p className="text-sm text-slate-600">No browser is remembered.</p>
        ) : (
          <div className="flex flex-col gap-3">
            <ul className="divide-y divide-slate-100" data-testid="remembered-browsers">
              {data.browsers.map((browser) => (
                <li key={browser.id} className="flex flex-col gap-2 py-3 text-sm sm:flex-row sm:items-center sm:justify-between">
                  <div className="flex flex-col gap-0.5">
                    <span className="font-medium">{browser.label}</span>
                    <span className="text-slate-600">
                      Remembered {browser.createdAt} · last used {browser.lastUsedAt} · until {browser.expiresAt}
                      {browser.ipAddress ? ` · ${browser.ipAddress}` : ""}
                    </span>
                  </div>
                  <Button
                    variant="secondary"
                    aria-label={`Forget ${browser.label}, remembered ${browser.createdAt}`}
                    busy={busy === browser.id}
                    disabled={!hydrated || busy !== null}
                    onClick={() => void run(browser.id, () => postJson("/api/account/browsers/revoke", { id: browser.id }), "That browser will be asked for a second factor again.")}
                  >
                    Forget
                  </Button>
                </li>
              ))}
            </ul>
            <div>
              <Button
                variant="secondary"
                busy={busy === "revoke-all"}
                disabled={!hydrated || busy !== null}
                onClick={() => void run("revoke-all", () => protect(() => postJson("/api/account/browsers/revoke-all")), "Every browser will be asked for a second factor again.")}
              >
                Forget all browsers
              </Button>
            </div>
          </div>
        )}
      </Card>

      <Card>
        <CardHeader title="Signed-in sessions" description="Where you are signed in now. Signing a session out ends it at its next click." />
        <div className="flex flex-col gap-3">
          <ul className="divide-y divide-slate-100" data-testid="sessions">
            {data.sessions.map((session) => (
              <li key={session.id} className="flex flex-col gap-2 py-3 text-sm sm:flex-row sm:items-center sm:justify-between">
                <div className="flex flex-col gap-0.5">
                  <span className="font-medium">
                    {session.label}
                    {session.current ? <span className="ml-2 font-normal text-emerald-800">This browser</span> : null}
                  </span>
                  <span className="text-slate-600">
                    Signed in {session.createdAt} · last active {session.lastSeenAt}
                    {session.ipAddress ? ` · ${session.ipAddress}` : ""}
                  </span>
                </div>
                {session.current ? null : (
                  <Button
                    variant="secondary"
                    aria-label={`Sign out ${session.label}, signed in ${session.createdAt}`}
                    busy={busy === session.id}
                    disabled={!hydrated || busy !== null}
                    onClick={() => void run(session.id, () => postJson("/api/account/sessions/sign-out", { id: session.id }), "That session is signed out.")}
                  >
                    Sign out
                  </Button>
                )}
              </li>
            ))}
          </ul>
          {data.sessions.some((session) => !session.current) ? (
            <div>
              <Button
                variant="secondary"
                busy={busy === "sign-out-others"}
                disabled={!hydrated || busy !== null}
                onClick={() => void run("sign-out-others", () => protect(() => postJson("/api/account/sessions/sign-out-others")), "Every other session is signed out.")}
              >
                Sign out all other sessions
              </Button>
            </div>
          ) : null}
        </div>
      </Card>

      <Card>
        <CardHeader title="Password" description="Changing it signs you out everywhere and forgets remembered browsers." />
        <PasswordForm protect={protect} />
      </Card>

      <Card>
        <CardHeader title="Recent activity" />
        {data.activity.length === 0 ? (
          <p className="text-sm text-slate-600">Nothing yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="activity">
            {data.activity.map((item) => (
              <li key={item.id} className="flex flex-col gap-0.5 py-2">
                <span>
                  <span className="font-medium">{eventLabel(item.type, item.method)}</span> — {resultLabel(item.result)}
                </span>
                <span className="text-slate-600">
                  {item.at} · {item.browser}
                  {item.ipAddress ? ` · ${item.ipAddress}` : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
