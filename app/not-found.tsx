import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function NotFound() {
  const t = await getTranslations("errors");
  return (
    <div className="mx-auto max-w-md space-y-3 py-16 text-center">
      <h1 className="text-3xl font-bold">{t("notFoundTitle")}</h1>
      <Link href="/" className="text-brand-600 underline">
        {t("backHome")}
      </Link>
    </div>
  );
}
