import type { ReactNode } from "react";

type Tone = "error" | "info" | "success" | "warning";

const TONES: Record<Tone, string> = {
  error: "border-red-200 bg-red-50 text-red-900",
  info: "border-slate-200 bg-slate-50 text-slate-900",
  success: "border-emerald-200 bg-emerald-50 text-emerald-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
};

/**
 * A message box. Errors are announced at once (role="alert"); other tones politely (role="status").
 * Render it empty-but-present when its content can change, so screen readers pick up the change.
 */
export function Alert({ tone = "info", children, className = "" }: { tone?: Tone; children?: ReactNode; className?: string }) {
  const role = tone === "error" ? "alert" : "status";
  if (!children) return <div role={role} aria-live={tone === "error" ? "assertive" : "polite"} />;
  return (
    <div role={role} aria-live={tone === "error" ? "assertive" : "polite"} className={`rounded-md border px-4 py-3 text-sm ${TONES[tone]} ${className}`}>
      {children}
    </div>
  );
}
