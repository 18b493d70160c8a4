import Link from "next/link";
import { requireCurrentUser } from "@/lib/auth/current-user";

export default async function HomePage() {
  const user = await requireCurrentUser("/");
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Welcome</h1>
      <p className="text-slate-700">
        You are signed in as <span className="font-medium">{user.email}</span>.
      </p>
      <p>
        <Link href="/account" className="font-medium underline underline-offset-4">
          Go to your account
        </Link>
      </p>
    </div>
  );
}
