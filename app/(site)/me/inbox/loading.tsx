import { getTranslations } from "next-intl/server";

export default async function InboxLoading() {
  const t = await getTranslations("inbox");
  return (
    <div className="mx-auto max-w-2xl space-y-4" aria-busy="true" data-testid="inbox-loading">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="sr-only">{t("loading")}</p>
      <ul className="space-y-2">
        {[0, 1, 2].map((i) => (
          <li key={i} className="h-24 animate-pulse rounded-xl border border-stone-200 bg-stone-100" />
        ))}
      </ul>
    </div>
  );
}
