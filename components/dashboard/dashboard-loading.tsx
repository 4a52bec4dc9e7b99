import { getTranslations } from "next-intl/server";

export default async function DashboardLoading() {
  const t = await getTranslations("dash");
  return (
    <div className="space-y-3" aria-busy="true" data-testid="dash-loading">
      <p className="sr-only">{t("loading")}</p>
      <div className="h-8 w-48 animate-pulse rounded bg-stone-200" />
      <div className="grid gap-3 sm:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-24 animate-pulse rounded-xl bg-stone-200" />
        ))}
      </div>
      <div className="h-64 animate-pulse rounded-xl bg-stone-200" />
    </div>
  );
}
