import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { requireCurrentUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Account" };

const ASSURANCE_LABEL = {
  password: "Password",
  mfa: "Password and two-factor authentication",
  remembered: "Password, on a remembered browser",
} as const;

export default async function AccountPage() {
  const user = await requireCurrentUser("/account");
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Account</h1>
      <Card>
        <CardHeader title="Signed in" />
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-slate-600">Email</dt>
          <dd data-testid="account-email" className="break-all">
            {user.email}
          </dd>
          <dt className="font-medium text-slate-600">Two-factor authentication</dt>
          <dd>
            <span data-testid="two-factor-status">{user.twoFactorEnabled ? "On" : "Off"}</span> ·{" "}
            <Link href="/account/security" className="font-medium underline underline-offset-4">
              {user.twoFactorEnabled ? "Manage" : "Turn on"}
            </Link>
          </dd>
          <dt className="font-medium text-slate-600">This session</dt>
          <dd>{ASSURANCE_LABEL[user.assurance]}</dd>
        </dl>
      </Card>
    </div>
  );
}
