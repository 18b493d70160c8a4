"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { loadPage } from "@/lib/client/navigation";
import { useHydrated } from "@/lib/client/use-hydrated";
import { Button } from "./ui/button";

export function SignOutButton() {
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="link"
      busy={busy}
      disabled={!hydrated}
      onClick={async () => {
        setBusy(true);
        await signOut({ redirect: false });
        loadPage("/sign-in");
      }}
    >
      Sign out
    </Button>
  );
}
