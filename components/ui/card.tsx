import type { ReactNode } from "react";

export function Card({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <section className={`rounded-lg border border-slate-200 bg-white p-6 shadow-sm ${className}`}>{children}</section>;
}

export function CardHeader({ title, description, id }: { title: string; description?: ReactNode; id?: string }) {
  return (
    <header className="mb-5 flex flex-col gap-1">
      <h2 id={id} tabIndex={-1} className="text-lg font-semibold text-slate-900 focus:outline-none">
        {title}
      </h2>
      {description ? <p className="text-sm text-slate-600">{description}</p> : null}
    </header>
  );
}
