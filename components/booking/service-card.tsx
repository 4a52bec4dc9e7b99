import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { ServiceDto } from "@/lib/services/queries";
import { formatFen } from "@/lib/money";

export async function ServiceCard({ service }: { service: ServiceDto }) {
  const [t, locale] = await Promise.all([getTranslations("home"), getLocale()]);
  const name = locale === "en" && service.nameEn ? service.nameEn : service.name;
  return (
    <Link
      href={`/services/${service.id}`}
      className="block rounded-xl border border-stone-200 bg-white p-4 shadow-sm transition hover:border-brand-500"
      data-testid="service-card"
    >
      <h3 className="font-semibold">{name}</h3>
      <p className="mt-1 line-clamp-2 text-sm text-stone-600">
        {locale === "en" && service.descriptionEn ? service.descriptionEn : service.description}
      </p>
      <div className="mt-3 flex flex-wrap gap-2 text-xs text-stone-600">
        <span className="rounded-full bg-stone-100 px-2 py-0.5">{t("minutes", { count: service.durationMin })}</span>
        {service.capacity > 1 && <span className="rounded-full bg-stone-100 px-2 py-0.5">{t("seats", { count: service.capacity })}</span>}
        <span className="rounded-full bg-brand-50 px-2 py-0.5 font-medium text-brand-700">
          {service.priceFen === 0 ? t("free") : formatFen(service.priceFen, service.currency)}
        </span>
        {service.depositFen > 0 && (
          <span className="rounded-full bg-stone-100 px-2 py-0.5">{t("deposit", { amount: formatFen(service.depositFen) })}</span>
        )}
      </div>
    </Link>
  );
}
