import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SecurityPanel, type SecurityData } from "@/components/security/security-panel";
import { formatTime } from "@/lib/account/labels";
import { securityOverview } from "@/lib/account/security";
import { getCurrentUser } from "@/lib/auth/current-user";
import { getConfig } from "@/lib/config/env";

export const metadata: Metadata = { title: "Security" };

export default async function SecurityPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=%2Faccount%2Fsecurity");
  const config = getConfig();
  const overview = await securityOverview(user.id);
  const data: SecurityData = {
    email: overview.email,
    twoFactorEnabled: overview.twoFactorEnabled,
    twoFactorSince: overview.twoFactorSince ? formatTime(overview.twoFactorSince) : null,
    devices: overview.devices,
    backupCodesRemaining: overview.backupCodesRemaining,
    backupCodesLow: overview.backupCodesLow,
    browsers: overview.browsers.map((b) => ({
      id: b.id,
      label: b.label,
      ipAddress: b.ipAddress,
      createdAt: formatTime(b.createdAt),
      lastUsedAt: formatTime(b.lastUsedAt),
      expiresAt: formatTime(b.expiresAt),
    })),
    activity: overview.activity.map((a) => ({ ...a, at: formatTime(a.at) })),
  };
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Security</h1>
      <SecurityPanel data={data} appName={config.appName} phoneUrl={config.duo.mode === "emulator" ? `${config.duo.endpoint.origin}/phone` : null} />
    </div>
  );
}
