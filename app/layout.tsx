import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { auth } from "@/lib/auth/next-auth";
import { getConfig } from "@/lib/config/env";
import { SignOutButton } from "@/components/sign-out-button";
import "./globals.css";

export function generateMetadata(): Metadata {
  return { title: { default: getConfig().appName, template: `%s · ${getConfig().appName}` } };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await auth();
  const signedIn = Boolean(session?.user?.id) && !session?.mfaPending;
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:rounded focus:bg-white focus:px-3 focus:py-2">
          Skip to content
        </a>
        <header className="border-b border-slate-200 bg-white print:hidden">
          <nav aria-label="Main" className="mx-auto flex max-w-3xl items-center justify-between gap-4 px-4 py-3">
            <Link href="/" className="font-semibold text-slate-900">
              {getConfig().appName}
            </Link>
            {signedIn ? (
              <div className="flex items-center gap-4 text-sm">
                <Link href="/account" className="underline-offset-4 hover:underline">
                  Account
                </Link>
                <Link href="/account/security" className="underline-offset-4 hover:underline">
                  Security
                </Link>
                <SignOutButton />
              </div>
            ) : null}
          </nav>
        </header>
        <main id="main" className="mx-auto w-full max-w-3xl px-4 py-8 sm:py-12">
          {children}
        </main>
      </body>
    </html>
  );
}
