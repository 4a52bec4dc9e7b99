"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { startTransition } from "react";

/**
 * What a page shows when rendering it failed on the server, typically because the database is
 * restarting or unreachable (production hides the cause): a calm message and a retry, instead of
 * Next.js's bare error screen. Retry re-renders the page on the server.
 */
export default function PageError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("errors");
  const router = useRouter();
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <div className="mx-auto max-w-md space-y-3 py-16 text-center" data-testid="page-error" role="alert">
      <h1 className="text-2xl font-bold">{t("unavailableTitle")}</h1>
      <p className="text-stone-600">{t("unavailableBody")}</p>
      <div className="flex items-center justify-center gap-4">
        <button type="button" onClick={retry} className="rounded-full bg-brand-600 px-4 py-1.5 text-white hover:bg-brand-700">
          {t("retry")}
        </button>
        <Link href="/" className="text-brand-600 underline">
          {t("backHome")}
        </Link>
      </div>
    </div>
  );
}
