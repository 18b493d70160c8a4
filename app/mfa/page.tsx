import type { Metadata } from "next";
import { Card, CardHeader } from "@/components/ui/card";
import { SignOutButton } from "@/components/sign-out-button";

export const metadata: Metadata = { title: "Two-factor authentication" };

/** The second-factor step. The gate sends every session with a pending challenge here. */
export default function MfaPage() {
  return (
    <div className="mx-auto flex max-w-md flex-col gap-6">
      <h1 className="text-2xl font-semibold">Two-factor authentication</h1>
      <Card>
        <CardHeader title="Verify it's you" description="Your account requires a second factor to finish signing in." />
        <p className="text-sm text-slate-700">The Duo step is not available yet.</p>
        <div className="mt-4">
          <SignOutButton />
        </div>
      </Card>
    </div>
  );
}
