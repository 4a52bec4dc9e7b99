import Link from "next/link";
import type { ReactNode } from "react";

/** Small presentational pieces shared by the dashboard pages (server or client). */

export function PageHeader({
  title,
  subtitle,
  actions,
  testId,
}: {
  title: string;
  subtitle?: string;
  actions?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-2xl font-bold" data-testid={testId}>
          {title}
        </h1>
        {subtitle && <p className="text-sm text-stone-500">{subtitle}</p>}
      </div>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </div>
  );
}

export function Card({
  title,
  children,
  actions,
  className = "",
  testId,
}: {
  title?: string;
  children: ReactNode;
  actions?: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section className={`rounded-xl border border-stone-200 bg-white p-4 ${className}`} data-testid={testId}>
      {(title || actions) && (
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          {title && <h2 className="font-semibold">{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export function EmptyState({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p
      className="rounded-lg border border-dashed border-stone-300 px-4 py-8 text-center text-sm text-stone-500"
      data-testid={testId ?? "empty-state"}
    >
      {children}
    </p>
  );
}

const tones: Record<string, string> = {
  pending_payment: "bg-amber-100 text-amber-800",
  confirmed: "bg-emerald-100 text-emerald-800",
  completed: "bg-sky-100 text-sky-800",
  no_show: "bg-rose-100 text-rose-800",
  expired: "bg-stone-200 text-stone-600",
  cancelled: "bg-stone-200 text-stone-600",
  open: "bg-emerald-100 text-emerald-800",
  closed: "bg-stone-200 text-stone-600",
  pending: "bg-amber-100 text-amber-800",
  paid: "bg-emerald-100 text-emerald-800",
  sent: "bg-emerald-100 text-emerald-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-rose-100 text-rose-800",
  abnormal: "bg-rose-100 text-rose-800",
  dead: "bg-rose-200 text-rose-900",
  refunded: "bg-sky-100 text-sky-800",
  partially_refunded: "bg-sky-100 text-sky-800",
  configured: "bg-emerald-100 text-emerald-800",
  embedded: "bg-sky-100 text-sky-800",
  partial: "bg-rose-100 text-rose-800",
  not_configured: "bg-stone-200 text-stone-600",
  matched: "bg-emerald-100 text-emerald-800",
  differences: "bg-amber-100 text-amber-800",
  running: "bg-stone-200 text-stone-600",
  resolved: "bg-sky-100 text-sky-800",
};

export function Badge({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <span
      className={`inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${tones[value] ?? "bg-stone-100 text-stone-700"}`}
      data-testid={testId}
      data-value={value}
    >
      {label}
    </span>
  );
}

export function Pager({
  page,
  total,
  pageSize,
  href,
  labels,
}: {
  page: number;
  total: number;
  pageSize: number;
  href: (page: number) => string;
  labels: { prev: string; next: string; of: string };
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const link = "rounded-lg border border-stone-300 px-3 py-1.5 text-sm hover:bg-stone-50";
  return (
    <nav className="flex items-center justify-between gap-2 pt-3 text-sm" aria-label="pagination">
      {page > 1 ? (
        <Link prefetch={false} className={link} href={href(page - 1)}>
          {labels.prev}
        </Link>
      ) : (
        <span />
      )}
      <span className="text-stone-500">{labels.of}</span>
      {page < pages ? (
        <Link prefetch={false} className={link} href={href(page + 1)}>
          {labels.next}
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}

export const inputClass =
  "w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100 sm:text-sm";
export const buttonClass =
  "inline-flex items-center justify-center rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60";
export const secondaryButtonClass =
  "inline-flex items-center justify-center rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm font-medium text-stone-700 hover:bg-stone-50 disabled:opacity-60";
export const dangerButtonClass =
  "inline-flex items-center justify-center rounded-lg bg-rose-600 px-4 py-2 text-sm font-medium text-white hover:bg-rose-700 disabled:opacity-60";

export function Labeled({ label, children, htmlFor, hint }: { label: string; children: ReactNode; htmlFor?: string; hint?: string }) {
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-sm font-medium text-stone-700">
        {label}
      </label>
      {children}
      {hint && <p className="text-xs text-stone-500">{hint}</p>}
    </div>
  );
}

/** Key-value rows for detail pages. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
      {items.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-stone-500">{k}</dt>
          <dd className="break-words">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** inputClass without its full width, for inputs that set their own (`${compactInputClass} w-20`). */
export const compactInputClass = inputClass.replace("w-full ", "");
