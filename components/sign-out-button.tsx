"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { Button } from "./ui/button";
import { loadPage } from "@/lib/client/navigation";

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="link"
      busy={busy}
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
