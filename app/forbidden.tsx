import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function Forbidden() {
  const t = await getTranslations("errors");
  return (
    <div className="mx-auto max-w-md space-y-3 py-16 text-center" data-testid="forbidden">
      <h1 className="text-3xl font-bold">{t("forbiddenTitle")}</h1>
      <p className="text-stone-600">{t("forbiddenBody")}</p>
      <Link href="/" className="text-brand-600 underline">
        {t("backHome")}
      </Link>
    </div>
  );
}
