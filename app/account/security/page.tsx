import type { Metadata } from "next";
import { SecurityPanel, type SecurityData } from "@/components/security/security-panel";
import { formatTime } from "@/lib/account/labels";
import { securityOverview } from "@/lib/account/security";
import { requireCurrentUser } from "@/lib/auth/current-user";
import { getConfig } from "@/lib/config/env";

export const metadata: Metadata = { title: "Security" };

export default async function SecurityPage() {
  const user = await requireCurrentUser("/account/security");
  const config = getConfig();
  const overview = await securityOverview(user.id, user.sid);
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
    sessions: overview.sessions.map((s) => ({
      id: s.id,
      label: s.label,
      ipAddress: s.ipAddress,
      createdAt: formatTime(s.createdAt),
      lastSeenAt: formatTime(s.lastSeenAt),
      current: s.current,
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
